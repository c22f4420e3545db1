import type { RequestHandler } from 'express';
import { AppError, ErrorCode } from '../errors.ts';

/** Lets signed-in users through; anyone else gets the 401 page with a Sign In button (not the sample's 200). */
export const loginRequired: RequestHandler = (req, _res, next) => {
  if (req.session.user) {
    next();
    return;
  }
  next(new AppError(ErrorCode.NOT_SIGNED_IN, 401, 'sign-in required', {
    detail: 'You need to sign in to see this page.',
  }));
};

import express from 'express';
import type { Request, Response } from 'express';
import { loginRequired } from '../auth/login-required.ts';
import { claimRows } from './claims.ts';

/** Home and the ID token details page. */
export function pagesRouter(): express.Router {
  const router = express.Router();
  router.get('/', (_req: Request, res: Response) => res.render('index', { title: 'Home' }));
  router.get('/token_details', loginRequired, (req: Request, res: Response) => {
    res.render('token_details', { title: 'ID Token Details', claims: claimRows(req.session.user!.claims) });
  });
  return router;
}

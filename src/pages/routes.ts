import express from 'express';
import type { Request, Response } from 'express';
import { loginRequired } from '../auth/login-required.ts';
import { requireRoles } from '../auth/require-roles.ts';
import type { Config } from '../config/index.ts';
import { noticeText } from '../http/notices.ts';
import { claimRows } from './claims.ts';
import { DEMO_INSURANCE_CLAIMS } from './dashboard.ts';

/** Home, the ID token details page, and the claims dashboard for the configured app roles. */
export function pagesRouter(config: Config): express.Router {
  const router = express.Router();
  router.get('/', (req: Request, res: Response) => res.render('index', { title: 'Home', pageNotice: noticeText(req.query.notice) }));
  router.get('/token_details', loginRequired, (req: Request, res: Response) => {
    res.render('token_details', { title: 'ID Token Details', claims: claimRows(req.session.user!.claims) });
  });
  router.get('/claims_dashboard', ...requireRoles(config, ...config.dashboardRoles), (_req: Request, res: Response) => {
    res.render('claims_dashboard', { title: 'Claims dashboard', insuranceClaims: DEMO_INSURANCE_CLAIMS });
  });
  return router;
}

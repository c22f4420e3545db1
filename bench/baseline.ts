/**
 * The benchmark's baseline: a bare Express 5 + express-session (MemoryStore) app with no identity
 * code, rendering the app's own templates. `GET /seed` gives the caller a session holding a user
 * (the claims of a real ID token, passed in by the bench); `/token_details` renders its claims like
 * the app does; `/call_ms_graph` makes the app's Graph call with a fixed access token.
 * A bench-only program, spawned by bench/run.ts; it reads its settings from the environment:
 * PORT, SESSION_SECRET, GRAPH_ENDPOINT, BASELINE_ACCESS_TOKEN, BASELINE_USER (JSON: name, claims).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import axios from 'axios';
import express from 'express';
import session from 'express-session';
import { APP_NAME } from '../src/http/locals.ts';
import { claimRows } from '../src/pages/claims.ts';
import type { SignedInUser } from '../src/auth/identity.ts';

const env = process.env;
const port = Number(env['PORT']);
const graphEndpoint = env['GRAPH_ENDPOINT'] ?? '';
const accessToken = env['BASELINE_ACCESS_TOKEN'] ?? '';
const user = JSON.parse(env['BASELINE_USER'] ?? '{}') as SignedInUser;
const ROOT = resolve(import.meta.dirname, '..');

const graph = axios.create({ timeout: 10_000 });
const app = express();
app.disable('x-powered-by');
app.set('views', resolve(ROOT, 'views'));
app.set('view engine', 'ejs');
app.set('view cache', true);
// The same static locals the app sets (src/http/locals.ts staticLocals), without a Config.
Object.assign(app.locals, {
  appName: APP_NAME, paths: { signIn: '/auth/sign_in', signOut: '/auth/sign_out' }, notice: undefined,
  redirectUri: `http://localhost:${port}/auth/redirect`, user: undefined, csrfToken: undefined,
});

app.get('/', (_req, res) => {
  res.type('text').send('baseline');
});
app.use(session({
  name: 'sid', secret: env['SESSION_SECRET'] ?? 'baseline-session-secret-0123456789abcdef', resave: false, saveUninitialized: false,
  cookie: { httpOnly: true, sameSite: 'lax', secure: false, path: '/', maxAge: 8 * 3600 * 1000 },
}));
app.use((req, res, next) => {
  res.locals['user'] = req.session.user;
  res.locals['csrfToken'] = req.session.csrfToken;
  next();
});

app.get('/seed', (req, res) => {
  req.session.user = user;
  req.session.csrfToken = randomBytes(32).toString('base64url');
  res.status(204).end();
});

app.get('/token_details', (req, res) => {
  if (!req.session.user) return res.redirect(303, '/');
  res.render('token_details', { title: 'ID Token Details', claims: claimRows(req.session.user.claims) });
});

app.get('/call_ms_graph', async (req, res) => {
  if (!req.session.user) return res.redirect(303, '/');
  const url = new URL(`${graphEndpoint}/users`);
  url.searchParams.set('$top', '5');
  url.searchParams.set('$select', 'id,displayName,userPrincipalName');
  const response = await graph.get(url.href, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  const users = (response.data as { value: Array<Record<string, unknown>> }).value.map((u) => ({
    id: String(u['id'] ?? ''), displayName: u['displayName'] ?? null, userPrincipalName: u['userPrincipalName'] ?? null,
  }));
  res.render('call_ms_graph', { title: 'Call MS Graph API', users });
});

const server = app.listen(port, (error?: Error) => {
  if (error) throw error;
  process.stdout.write(`Baseline listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

import type { Session } from 'express-session';

/** Promise versions of express-session's callback methods. */
export function regenerate(session: Session): Promise<void> {
  return new Promise((resolve, reject) => session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function save(session: Session): Promise<void> {
  return new Promise((resolve, reject) => session.save((err) => (err ? reject(err) : resolve())));
}

export function destroy(session: Session): Promise<void> {
  return new Promise((resolve, reject) => session.destroy((err) => (err ? reject(err) : resolve())));
}

/**
 * Imported first by main.tsx, so that on a reload the session refresh leaves before the rest of
 * the console's code is evaluated: the page keeps only the refresh token, and every signed-in
 * screen waits for the access token it is traded for.
 */
import { refreshSession } from './api/refresh';
import { currentRefreshToken } from './api/session';

export const restoring: Promise<boolean> | null = currentRefreshToken() ? refreshSession() : null;

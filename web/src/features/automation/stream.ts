/**
 * New notifications as they are created, from automation's server-sent events. EventSource cannot send
 * the access token, so the stream is read with `fetch`; it is opened again after a drop (with a fresh
 * token when the old one had expired), and `onOpen` lets the caller catch up on what it missed meanwhile.
 */
import { pendingRefresh, refreshSession } from '../../api/refresh';
import { currentAccessToken } from '../../api/session';
import { currentLanguage } from '../../i18n/language';

export const STREAM_URL = '/api/v1/notifications/stream';

export interface LiveNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
}

function open(signal: AbortSignal): Promise<Response> {
  const headers = { Accept: 'text/event-stream', 'Accept-Language': currentLanguage(), Authorization: `Bearer ${currentAccessToken() ?? ''}` };
  return fetch(STREAM_URL, { headers, signal, cache: 'no-store' });
}

/** Each `event: notification` block of the text read so far; answers the unfinished rest. */
export function parseEvents(text: string, onEvent: (n: LiveNotification) => void): string {
  let rest = text.replace(/\r\n/g, '\n');
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const lines = rest.slice(0, end).split('\n');
    rest = rest.slice(end + 2);
    const kind = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
    const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
    if (kind === 'notification' && data) onEvent(JSON.parse(data) as LiveNotification);
  }
  return rest;
}

/** Follows the caller's stream until the answered function is called. */
export function followNotifications(onEvent: (n: LiveNotification) => void, onOpen: () => void): () => void {
  const controller = new AbortController();
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  void (async () => {
    for (let delay = 1000; !controller.signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        if (!currentAccessToken()) await pendingRefresh();
        let response = await open(controller.signal);
        if (response.status === 401 && (await refreshSession())) response = await open(controller.signal);
        if (response.ok && response.body) {
          onOpen();
          delay = 1000;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (let read = await reader.read(); !read.done; read = await reader.read()) buffer = parseEvents(buffer + read.value, onEvent);
        }
      } catch {
        // a dropped connection or a garbled event: open it again below
      }
      if (!controller.signal.aborted) await wait(delay);
    }
  })();
  return () => controller.abort();
}

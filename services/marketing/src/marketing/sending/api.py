"""Public routes of campaign mail (no sign-in, the signed link is the only credential): the one-click
unsubscribe (RFC 8058: POST unsubscribes, GET only shows the confirmation form), the open pixel and the
click redirect, each limited per client address (`MARKETING_PUBLIC_PER_MINUTE`)."""

from __future__ import annotations

import base64
import html
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crm_shared.auth.ratelimit import per_address
from crm_shared.http import PROBLEM, Transaction
from marketing.sending import tracking

router = APIRouter(prefix="/api/v1/public", tags=["marketing"], dependencies=[per_address("public_limiter")])
REFUSED: dict[int | str, dict[str, Any]] = {404: PROBLEM, 429: PROBLEM}
Token = Annotated[str, Path(max_length=200)]
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _page(title: str, body: str) -> HTMLResponse:
    document = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
    return HTMLResponse(document, headers=NO_STORE)


@router.get("/unsubscribe/{token}", response_class=HTMLResponse, responses=REFUSED)
async def unsubscribe_form(token: Token, uow: Transaction) -> HTMLResponse:
    """The confirmation form; following the link unsubscribes no one (mail scanners follow links)."""
    if await tracking.confirm(uow, token):
        return _page("已退订 Unsubscribed", "<p>您已退订。You are unsubscribed.</p>")
    form = (
        "<p>确认不再接收我们的营销邮件？Stop receiving our marketing email?</p>"
        f'<form method="post" action="{html.escape(token)}">'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<button type="submit">退订 Unsubscribe</button></form>'
    )
    return _page("退订 Unsubscribe", form)


@router.post("/unsubscribe/{token}", response_class=HTMLResponse, responses=REFUSED)
async def unsubscribe(token: Token, uow: Transaction) -> HTMLResponse:
    """One-click unsubscribe: the mail program's POST (`List-Unsubscribe=One-Click`) or the form's."""
    await tracking.unsubscribe(uow, token)
    return _page("已退订 Unsubscribed", "<p>您已退订。You are unsubscribed.</p>")


@router.get("/open/{token}", responses={200: {"content": {"image/gif": {}}}, **REFUSED})
async def open_pixel(token: Token, uow: Transaction) -> Response:
    """The mail's open pixel: a transparent GIF."""
    await tracking.opened(uow, token)
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get("/click/{token}", status_code=302, response_class=RedirectResponse, responses=REFUSED)
async def click(token: Token, uow: Transaction) -> RedirectResponse:
    """To the link the template contained, counted once per mail."""
    return RedirectResponse(await tracking.clicked(uow, token), status_code=302, headers=NO_STORE)

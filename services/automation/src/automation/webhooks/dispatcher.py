"""Sends due webhook deliveries: signed, a batch at once, retried with exponential backoff, given up after the
last attempt; a subscription failing `webhook_disable_after` times in a row is switched off and its owner told."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import httpx
from sqlalchemy import select
from sqlmodel import col

from automation import events
from automation.notifications import service as notifications
from automation.notifications.models import Kind
from automation.settings import AutomationSettings
from automation.webhooks import signing
from automation.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.http import outgoing
from crm_shared.service import RunAgain

log = logging.getLogger(__name__)
BATCH = 50
CONNECTIONS = 8  # at once, of a batch: a receiver is not sent the whole batch in one burst
ERROR_LENGTH = 500  # of a delivery's last error, as stored


class Dispatcher:
    def __init__(self, settings: AutomationSettings) -> None:
        self.settings = settings

    async def run(self, uow: UnitOfWork) -> RunAgain | int:
        """Scheduled: a batch of due deliveries claimed together and sent at once, over connections kept for
        the batch; their outcomes commit together (a crash before that sends them again, under the same
        `webhook-id`, which receivers take as a repeat)."""
        due = (
            await uow.session.execute(
                select(WebhookDelivery, WebhookSubscription)
                .join(WebhookSubscription, col(WebhookSubscription.id) == col(WebhookDelivery.subscription_id))
                .where(
                    col(WebhookDelivery.status) == DeliveryStatus.PENDING,
                    col(WebhookDelivery.next_attempt_at) <= utcnow(),
                    col(WebhookSubscription.enabled).is_(True),
                )
                .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
                .limit(BATCH)
                .with_for_update(of=WebhookDelivery, skip_locked=True)
            )
        ).all()
        limits = httpx.Limits(max_connections=CONNECTIONS)
        async with outgoing.public(
            self.settings.call_timeout_seconds, self.settings.webhook_networks, limits=limits
        ) as client:
            outcomes = await asyncio.gather(*(self._attempt(client, d, s) for d, s in due))
        for (delivery, subscription), (status, error) in zip(due, outcomes, strict=True):
            delivery.attempts += 1
            delivery.last_status_code, delivery.last_error = status, error and error[:ERROR_LENGTH]
            if error is None:
                delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, utcnow()
                subscription.failures_in_row = 0
            else:
                await self._failed(uow, delivery, subscription)
        await uow.flush()
        return RunAgain() if len(due) == BATCH else len(due)

    async def _attempt(
        self, client: httpx.AsyncClient, delivery: WebhookDelivery, subscription: WebhookSubscription
    ) -> tuple[int | None, str | None]:
        """The receiver's status and the error (none when it took the delivery). Whatever goes wrong fails this
        delivery's attempt alone: the others of the batch were sent, and must not be sent again."""
        timeout = self.settings.call_timeout_seconds
        try:
            body = signing.encode(delivery.payload)
            status = await signing.post(
                client, subscription.url, body, delivery.message_id, subscription.secret, timeout
            )
        except outgoing.DestinationRefused as exc:
            return None, f"{type(exc).__name__}: {exc}"
        except httpx.HTTPError as exc:
            return None, type(exc).__name__
        except Exception as exc:  # an address the client cannot read (`http://1.2.3.256/`, saved before it was checked)
            log.warning("webhook delivery %s failed: %s", delivery.id, type(exc).__name__)
            return None, f"{type(exc).__name__}: {exc}"
        return status, None if 200 <= status < 300 else f"HTTP {status}"

    async def _failed(self, uow: UnitOfWork, delivery: WebhookDelivery, subscription: WebhookSubscription) -> None:
        s = self.settings
        if delivery.attempts >= s.webhook_max_attempts:
            delivery.status = DeliveryStatus.FAILED
        else:
            wait = min(s.webhook_retry_max_seconds, s.webhook_retry_seconds * 2 ** (delivery.attempts - 1))
            delivery.next_attempt_at = utcnow() + dt.timedelta(seconds=wait)
        subscription.failures_in_row += 1
        if subscription.enabled and subscription.failures_in_row >= s.webhook_disable_after:  # once in a batch
            subscription.enabled, subscription.disabled_at = False, utcnow()
            log.warning(
                "webhook subscription %s switched off after %s failures", subscription.id, subscription.failures_in_row
            )
            await uow.publish(
                events.WebhookSubscriptionDisabled(
                    id=subscription.id, url=subscription.url, failures=subscription.failures_in_row
                )
            )
            if subscription.owner_id is not None:
                title = f"Webhook 已停用 Webhook switched off: {subscription.name}"
                address = subscription.url[:ERROR_LENGTH]  # a notification's body holds 2000 characters
                body = f"{address}: {subscription.failures_in_row} 次连续失败 failures in a row"
                await notifications.notify(
                    uow, notifications.NewNotification(subscription.owner_id, Kind.WEBHOOK, title, body)
                )

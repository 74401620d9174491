"""Who may call which automation operation.

Workflows and webhooks are administrators' (`automator` holds the automation permissions, `admin` all);
everyone with `automation:notification` reads and marks their own notifications and chooses their
channels; `rep`, without automation permissions, reaches none of it.
"""

import datetime as dt
import uuid

from automation.approvals.models import Delegation
from automation.graphql import schema
from automation.webhooks.models import DeliveryStatus, WebhookDelivery
from crm_shared.testing.authz import Entry, check_complete, check_matrix

NAMES = ("admin", "automator", "user1", "user2", "rep", "service")


def expect(default="FORBIDDEN", **outcomes):
    return {"anonymous": "UNAUTHENTICATED", **dict.fromkeys(NAMES, default), **outcomes}


ADMINS = expect(admin="ok", automator="ok")
ANYONE = expect("ok")
# what waits on admin: nobody else decides it, and to those who may not read the quote it does not exist
APPROVER = expect("NOT_FOUND", admin="ok")
EVERYONE = expect(admin="ok", automator="ok", user1="ok", user2="ok")
DEFINITION = {
    "trigger": {"kind": "event", "topic": "crm.sales.lead", "type": "lead.assigned"},
    "steps": [{"id": "tell", "action": "notify", "title": "矩阵 Matrix"}],
}


async def test_every_automation_operation_has_a_matrix_entry_and_holds(gql, app, tokens, persona, receiver):
    fixed = {"id": await gql.workflow(DEFINITION)}
    hook = {"name": "矩阵", "url": f"{receiver.url}/m", "eventTypes": ["lead.assigned"]}
    saved = await gql.ok(
        "mutation($i: WebhookSubscriptionInput!) { saveWebhookSubscription(input: $i) { id } }",
        {"i": hook},
        "automator",
    )
    subscription = uuid.UUID(saved["saveWebhookSubscription"]["id"])

    async def draft(caller=None):
        return {"id": await gql.workflow(DEFINITION, publish=False)}

    async def failed(caller=None):
        async with app.state.db.unit_of_work() as uow:
            row = WebhookDelivery(
                subscription_id=subscription,
                message_id=f"msg_{uuid.uuid4()}",
                event_type="lead.assigned",
                status=DeliveryStatus.FAILED,
            )
            uow.session.add(row)
        return {"id": str(row.id)}

    workflow_input = {"name": "矩阵规则", "definition": DEFINITION}

    async def named(caller=None):
        return {"i": {**workflow_input, "name": f"矩阵{caller}{uuid.uuid4().hex[:4]}"}}

    async def hooked(caller=None):  # subscriptions' names are unique, as workflows' are
        return {"i": {**hook, "name": f"矩阵{caller}{uuid.uuid4().hex[:4]}"}}

    entries = {
        "workflows": Entry("{ workflows { id } }", ADMINS),
        "workflow": Entry("query($id: ID!) { workflow(id: $id) { id } }", ADMINS, fixed),
        "testWorkflow": Entry(
            "query($id: ID!) { testWorkflow(id: $id, sampleEvent: {data: {}}) { matched } }", ADMINS, fixed
        ),
        "workflowRuns": Entry("{ workflowRuns { totalCount } }", ADMINS),
        "workflowMonitoring": Entry("{ workflowMonitoring { runs } }", ADMINS),
        "approvalChainMonitoring": Entry("{ approvalChainMonitoring { runs } }", ADMINS),
        "workflowTriggerTopics": Entry("{ workflowTriggerTopics }", ADMINS),
        "saveWorkflow": Entry("mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id } }", ADMINS, named),
        "publishWorkflow": Entry("mutation($id: ID!) { publishWorkflow(id: $id) { version } }", ADMINS, draft),
        "disableWorkflow": Entry("mutation($id: ID!) { disableWorkflow(id: $id) { status } }", ADMINS, fixed),
        "notifications": Entry("{ notifications { totalCount } }", EVERYONE),
        "unreadNotificationCount": Entry("{ unreadNotificationCount }", EVERYONE),
        "notificationPreferences": Entry("{ notificationPreferences { kind } }", EVERYONE),
        "markNotificationsRead": Entry("mutation { markNotificationsRead }", EVERYONE),
        "saveNotificationPreferences": Entry(
            "mutation { saveNotificationPreferences(input: [{kind: WORKFLOW, email: true}]) { kind } }", EVERYONE
        ),
        "webhookSubscriptions": Entry("{ webhookSubscriptions { id } }", ADMINS),
        "webhookEventTypes": Entry("{ webhookEventTypes }", ADMINS),
        "webhookDeliveries": Entry("{ webhookDeliveries { totalCount } }", ADMINS),
        "saveWebhookSubscription": Entry(
            "mutation($i: WebhookSubscriptionInput!) { saveWebhookSubscription(input: $i) { id } }", ADMINS, hooked
        ),
        "replayWebhookDelivery": Entry("mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }", ADMINS, failed),
        "calls": Entry("{ calls { totalCount } }", ADMINS),
        "connectorStatus": Entry("{ connectorStatus { received } }", ADMINS),
        "myEmailLoggingAddress": Entry("{ myEmailLoggingAddress }", expect(admin="ok")),
        "loggedMails": Entry("{ loggedMails { totalCount } }", expect(admin="ok")),
        # no phone system in this app: allowed callers get as far as that
        "startCall": Entry(
            "mutation($c: ID!) { startCall(contactId: $c) { id } }",
            expect(admin="CONFLICT", automator="CONFLICT"),
            {"c": str(uuid.uuid4())},
        ),
        "linkCall": Entry(
            "mutation($id: ID!, $c: ID!) { linkCall(id: $id, contactId: $c) { id } }",
            expect(admin="NOT_FOUND", automator="NOT_FOUND"),
            {"id": str(uuid.uuid4()), "c": str(uuid.uuid4())},
        ),
    }
    entries |= await approval_entries(gql)
    check_complete(schema, entries)
    callers = {name: tokens.token(p) for name, p in persona.items() if name in NAMES} | {"anonymous": None}

    async def execute(query, variables, token):
        return await gql(query, variables, token=token) if token else await gql(query, variables)

    await check_matrix(entries, callers, execute)


async def approval_entries(gql):
    """Chains are administrators'; anyone reads what waits on them, delegates and ends their delegation; only the
    approver decides."""
    level = {"approvers": [{"type": "user", "userId": gql.user("admin")}]}
    chain = {"name": "矩阵审批", "subjectKind": "QUOTE", "levels": [level]}
    await gql.ok("mutation($i: ApprovalChainInput!) { saveApprovalChain(input: $i) { id } }", {"i": chain}, "automator")

    async def waiting(caller=None):
        data = {"id": str(uuid.uuid4()), "title": "矩阵", "submittedBy": gql.user("seller")}
        await gql.deliver("crm.sales.quote", "quote.submitted", data)
        [found] = [
            a
            for a in (await gql.ok("{ myApprovals { id subjectId } }", None, "admin"))["myApprovals"]
            if a["subjectId"] == data["id"]
        ]
        return {"id": found["id"]}

    async def rejecting(caller=None):
        return {**await waiting(caller), "c": "不行"}

    async def named(caller=None):
        return {"i": {**chain, "name": f"矩阵{caller}{uuid.uuid4().hex[:4]}"}}

    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat()

    async def delegated(caller=None):  # the caller's own, made directly: their delegation above lasts meanwhile
        now = dt.datetime.now(dt.UTC)
        user = gql.personas[caller].user_id if caller in gql.personas else uuid.uuid4()
        row = Delegation(user_id=user, delegate_id=uuid.uuid4(), starts_at=now, ends_at=now + dt.timedelta(days=30))
        async with gql.app.state.db.unit_of_work() as uow:
            uow.session.add(row)
        return {"id": str(row.id)}

    return {
        "approvalChains": Entry("{ approvalChains { id } }", ADMINS),
        "saveApprovalChain": Entry(
            "mutation($i: ApprovalChainInput!) { saveApprovalChain(input: $i) { id } }", ADMINS, named
        ),
        "myApprovals": Entry("{ myApprovals { id } }", ANYONE),
        "myApprovalDelegations": Entry("{ myApprovalDelegations { id } }", ANYONE),
        "approve": Entry("mutation($id: ID!) { approve(id: $id) { status } }", APPROVER, waiting),
        "reject": Entry(
            "mutation($id: ID!, $c: String!) { reject(id: $id, comment: $c) { status } }", APPROVER, rejecting
        ),
        "delegateApprovals": Entry(
            "mutation($to: ID!, $u: DateTime!) { delegateApprovals(toUserId: $to, until: $u) { id } }",
            ANYONE,
            {"to": gql.user("deputy"), "u": until},
        ),
        "endApprovalDelegation": Entry(
            "mutation($id: ID!) { endApprovalDelegation(id: $id) { id } }", ANYONE, delegated
        ),
    }

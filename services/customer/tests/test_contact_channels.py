"""Finding contacts by a phone or a keyed email hash (how calls and logged mail find whom they were with),
and activities carrying a recording link, a duration and a mail thread."""

from crm_shared.crypto import lookup_hash

CREATE_CONTACT = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
BY_CHANNEL = """query($p: String, $h: [String!]) { contactsByChannel(phone: $p, emailHashes: $h) {
    name accountId owner { id } } }"""
LOG = """mutation($i: LogActivityInput!) { logActivity(input: $i) {
    kind link threadId durationSeconds contactId } }"""


async def contact(gql, account, name, phone=None, email=None, as_="rep1"):
    fields = {"accountId": account, "name": name, "phone": phone, "email": email}
    return (await gql.ok(CREATE_CONTACT, {"i": fields}, as_))["createContact"]["id"]


async def test_a_phone_finds_its_contacts_however_it_is_written_and_only_in_scope(gql, persona):
    account = await gql.account("rep1")
    other = await gql.account("rep2")
    await contact(gql, account, "王五", phone="138-0013-8000")
    await contact(gql, other, "赵六", phone="13800138000", as_="rep2")
    await contact(gql, account, "钱七", phone="13900139000")
    owner = {"id": str(persona["rep1"].user_id)}
    mine = await gql.ok(BY_CHANNEL, {"p": "+86 138 0013 8000"}, "rep1")
    assert mine["contactsByChannel"] == [{"name": "王五", "accountId": account, "owner": owner}]
    everyone = await gql.ok(BY_CHANNEL, {"p": "8613800138000"}, "admin")
    assert [c["name"] for c in everyone["contactsByChannel"]] == ["王五", "赵六"]
    assert (await gql.ok(BY_CHANNEL, {"p": "010-12345678"}, "admin"))["contactsByChannel"] == []


async def test_a_phone_masked_to_the_caller_finds_no_one_by_it_while_an_email_still_does(gql):
    """The marketing persona sees phones as 139****9000: a lookup by phone would tell the whole number back
    within 10,000 tries."""
    account = await gql.account("rep1")
    await contact(gql, account, "吴十", phone="13900139000", email="wu@example.cn")
    refused = await gql.error(BY_CHANNEL, {"p": "13900139000"}, "marketing", "BAD_USER_INPUT", "zh-CN")
    assert (refused["extensions"]["field"], refused["message"]) == (
        "phone",
        "字段“phone”对您脱敏显示，不能按其查找记录",
    )
    found = await gql.ok(BY_CHANNEL, {"h": [lookup_hash("wu@example.cn")]}, "marketing")
    assert [c["name"] for c in found["contactsByChannel"]] == ["吴十"]


async def test_email_hashes_find_contacts_and_a_bad_phone_is_named(gql):
    account = await gql.account("rep1")
    await contact(gql, account, "孙八", email="Sun.Ba@Example.cn")
    await contact(gql, account, "周九", email="zhou@example.cn")
    hashes = [lookup_hash("sun.ba@example.cn"), lookup_hash("nobody@example.cn")]
    found = await gql.ok(BY_CHANNEL, {"h": hashes}, "rep1")
    assert [c["name"] for c in found["contactsByChannel"]] == ["孙八"]
    assert (await gql.ok(BY_CHANNEL, {}, "rep1"))["contactsByChannel"] == []
    error = await gql.error(BY_CHANNEL, {"p": "12"}, "rep1", code="BAD_USER_INPUT")
    assert error["extensions"]["field"] == "phone"


async def test_a_call_keeps_its_recording_and_duration_and_mail_its_thread(gql):
    account = await gql.account("rep1")
    person = await contact(gql, account, "吴十", phone="13700137000")
    call = {
        "accountId": account,
        "contactId": person,
        "kind": "call",
        "subject": "来电 13700137000",
        "link": "https://cti.example.cn/recordings/1.mp3",
        "durationSeconds": 95,
    }
    logged = (await gql.ok(LOG, {"i": call}, "rep1"))["logActivity"]
    assert logged == {
        "kind": "call",
        "link": "https://cti.example.cn/recordings/1.mp3",
        "threadId": None,
        "durationSeconds": 95,
        "contactId": person,
    }
    mail = {"accountId": account, "kind": "email", "subject": "报价", "threadId": "<a@mail.example.cn>"}
    assert (await gql.ok(LOG, {"i": mail}, "rep1"))["logActivity"]["threadId"] == "<a@mail.example.cn>"
    bad_link = await gql.error(LOG, {"i": {**call, "link": "javascript:alert(1)"}}, "rep1", code="BAD_USER_INPUT")
    assert bad_link["extensions"]["field"] == "link"
    too_long = await gql.error(LOG, {"i": {**call, "durationSeconds": -1}}, "rep1", code="BAD_USER_INPUT")
    assert too_long["extensions"]["field"] == "durationSeconds"

"""A conversation's files download for those who read the ticket and its message, as stored, and for no one else."""

import base64

REPLY = """mutation($id: ID!, $f: [AttachmentInput!]) { replyToTicket(id: $id, body: "见附件", attachments: $f) {
    attachments { id filename downloadUrl } } }"""
PDF = b"%PDF-1.4\n\x00\xff binary"


def upload(filename, content=PDF, content_type="application/pdf"):
    return {"filename": filename, "contentType": content_type, "contentBase64": base64.b64encode(content).decode()}


async def replied(gql, *files):
    """A ticket of rep1's account worked on by agent1's team, and the files of agent1's reply to it."""
    team = await gql.team("agent1")
    ticket = await gql.ticket(account=await gql.account("rep1"), teamId=team)
    reply = await gql.ok(REPLY, {"id": ticket, "f": list(files)})
    return ticket, reply["replyToTicket"]["attachments"]


async def test_the_agent_downloads_the_exact_bytes_with_their_name_in_utf8(gql):
    ticket, [file] = await replied(gql, upload("报告.pdf"))
    assert file["downloadUrl"] == f"/api/v1/tickets/{ticket}/attachments/{file['id']}"
    got = await gql.rest("GET", file["downloadUrl"], "agent1")
    assert (got.status_code, got.content) == (200, PDF)
    assert got.headers["content-type"] == "application/pdf"
    assert (
        got.headers["content-disposition"] == "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"
    )
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["cache-control"] == "private, no-store"


async def test_only_those_who_read_the_ticket_download_its_files(gql):
    ticket, [file] = await replied(gql, upload("报告.pdf"))
    url = file["downloadUrl"]
    for reader in ("agent2", "manager", "rep1"):  # the team's unit, the manager above it, the account's owner
        got = await gql.rest("GET", url, reader)
        assert (reader, got.status_code, got.content) == (reader, 200, PDF)
    for outsider in ("agent3", "rep2"):  # another desk; another rep: as for a ticket that does not exist
        got = await gql.rest("GET", url, outsider)
        assert (outsider, got.status_code, got.json()["code"]) == (outsider, 404, "NOT_FOUND")
    assert (await gql.rest("GET", url, None)).status_code == 401
    other = await gql.ticket(account=await gql.account("rep1"), teamId=await gql.team("agent1"))
    elsewhere = (await gql.rest("GET", url.replace(ticket, other), "agent1")).status_code
    assert elsewhere == 404  # the file of one ticket is not found through another the caller reads
    assert (await gql.rest("GET", f"/api/v1/tickets/{ticket}/attachments/x", "agent1")).status_code == 422


async def test_hostile_names_and_types_reach_no_header_and_nothing_runs(gql):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    _, files = await replied(
        gql,
        upload('..\\../etc/"pass"wd; x=1.pdf'),
        upload("图 1.svg", svg, "image/svg+xml"),
    )
    named = await gql.rest("GET", files[0]["downloadUrl"], "agent1")
    assert named.headers["content-disposition"] == (
        "attachment; filename=\"_pass_wd_ x_1.pdf\"; filename*=UTF-8''%22pass%22wd%3B%20x%3D1.pdf"
    )
    script = await gql.rest("GET", files[1]["downloadUrl"], "agent1")
    assert (script.content, script.headers["content-type"]) == (svg, "image/svg+xml")
    assert (
        script.headers["content-disposition"] == "attachment; filename=\"_ 1.svg\"; filename*=UTF-8''%E5%9B%BE%201.svg"
    )
    assert script.headers["content-security-policy"] == "sandbox; default-src 'none'"

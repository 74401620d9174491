"""Merge fields in the sandbox: escaped in HTML, limited to the known fields; template links and signed tokens."""

import uuid
from email import message_from_bytes, policy

import pytest
from jinja2.exceptions import SecurityError

from crm_shared.errors import BadInput
from marketing.sending import links, mime
from marketing.templates import render

PARTS = render.Parts(
    subject="{{ campaign.name }}：{{ contact.name }}",
    html='<p>{{ contact.name }}（{{ account.name }}）</p><a href="https://example.com/a?x=1&amp;y=2">A</a>'
    '<a href="{{ unsubscribe_url }}">退订</a>',
    text="{{ contact.name }} {{ unsubscribe_url }}",
)
VALUES = {
    "contact": {"name": '<script>alert("x")</script>'},
    "account": {"name": "A&B 公司"},
    "campaign": {"name": "新品"},
    "unsubscribe_url": "https://mail.example.com/u",
}


def test_html_escapes_merge_values_and_text_keeps_them_as_written():
    out = render.render(PARTS, VALUES)
    assert out.html == (
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;（A&amp;B 公司）</p>"
        '<a href="https://example.com/a?x=1&amp;y=2">A</a><a href="https://mail.example.com/u">退订</a>'
    )
    assert out.text == '<script>alert("x")</script> https://mail.example.com/u'
    assert out.subject == '新品：<script>alert("x")</script>'


def test_a_missing_value_renders_empty():
    assert render.render(render.Parts("{{ account.name }}!", "", ""), {"account": {}}).subject == "!"


@pytest.mark.parametrize(
    ("source", "name"), [("{{ contact.phone }}", "contact.phone"), ("{{ secret }}", "secret"), ("{{ x.y }}", "x")]
)
def test_a_template_naming_an_unknown_merge_field_is_refused(source, name):
    with pytest.raises(BadInput) as refused:
        render.check(source, "htmlZh")
    assert (refused.value.key, refused.value.field, refused.value.params["name"]) == (
        "unknown_template_field",
        "htmlZh",
        name,
    )


def test_a_template_that_does_not_parse_names_its_line():
    with pytest.raises(BadInput) as refused:
        render.check("第一行\n{{ contact.name ", "textZh")
    assert (refused.value.key, refused.value.params["line"]) == ("template_syntax", 2)


def test_the_sandbox_keeps_templates_away_from_pythons_internals_and_endless_arithmetic():
    for source in ("{{ contact.__class__.__mro__ }}", "{{ 9**9**9**9 }}", "{{ 'x' * 10000001 }}"):
        with pytest.raises(render.RenderFailed) as failed:
            render.render(render.Parts(source, "", ""), {"contact": render})
        assert (failed.value.part, type(failed.value.__cause__)) == ("subject", SecurityError), source
    assert render.render(render.Parts("{{ 'ab' * 3 }} {{ 2 * 21 }}", "", ""), {}).subject == "ababab 42"


def test_only_the_templates_own_links_are_tracked_and_the_pixel_goes_before_the_body_ends():
    source = '<body><a href="https://a.example/1">1</a><a href="https://b.example/2">2</a>{{ unsubscribe_url }}</body>'
    known = render.links(source)
    assert known == ["https://a.example/1", "https://b.example/2"]
    html = (
        '<body><a href="https://a.example/1">1</a><a href="https://b.example/2">2</a>'
        '<a href="https://u.example/">u</a></body>'
    )
    out = render.tracked(html, known, lambda i: f"https://t.example/{i}?a=1&b=2", "https://t.example/open")
    assert out == (
        '<body><a href="https://t.example/0?a=1&amp;b=2">1</a><a href="https://t.example/1?a=1&amp;b=2">2</a>'
        '<a href="https://u.example/">u</a>'
        '<img src="https://t.example/open" width="1" height="1" alt="" style="display:none"></body>'
    )


def test_a_signed_link_reads_back_and_a_changed_or_misused_one_does_not():
    link = links.Link(uuid.uuid4(), links.Kind.CLICK, 3)
    token = links.token(link)
    assert links.read(token, links.Kind.CLICK) == link
    assert links.read(token, links.Kind.UNSUBSCRIBE) is None  # a click link never unsubscribes
    head, _, mac = token.partition(".")
    forged = links.token(links.Link(uuid.uuid4(), links.Kind.CLICK, 3)).partition(".")[0] + "." + mac
    assert links.read(forged, links.Kind.CLICK) is None
    assert links.read(head + ".AAAA", links.Kind.CLICK) is None
    assert links.read("not-a-token", links.Kind.CLICK) is None


def test_campaign_mail_written_directly_reads_back_as_the_same_mail():
    headers = [
        ("From", mime.address("示例科技 Example Tech", "marketing@crm.local")),
        ("To", "wang@example.cn"),
        ("Subject", mime.encoded("王经理，" + "春季新品发布会邀请" * 6)),
        ("Message-ID", "<abc@crm.local>"),
    ]
    raw = mime.message(headers, "您好 https://example.com\n", "<p>您好</p>", "=_b1")
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["From"].addresses[0].display_name == "示例科技 Example Tech"
    assert str(mail["Subject"]) == "王经理，" + "春季新品发布会邀请" * 6
    assert mail.get_body(("plain",)).get_content() == "您好 https://example.com\n"
    assert mail.get_body(("html",)).get_content() == "<p>您好</p>"
    assert mime.address('Plain "Name"', "a@b.c") == '"Plain \\"Name\\"" <a@b.c>'


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("{{ contact.name|indent(100000000) }}", "indent"),
        ("{{ contact.name|wordwrap(1, wrapstring='x') }}", "wordwrap"),
        ("{{ '%s'|format(contact.name) }}", "format"),
        ("{{ contact.name|join('x') }}", "join"),
        ("{{ contact.name|replace('张', 'x') }}", "replace"),
        ("{% filter center(100000000) %}x{% endfilter %}", "center"),
        ("{{ contact.name.center(100000000) }}", "center()"),
        ("{{ '{:>100000000}'.format(1) }}", "format()"),
        ('{% set contact = "x" * 10000 %}{% set contact = contact ~ contact %}{{ contact }}', "{% set %}"),
        ("{% for contact in 'x' * 9999 %}{% for account in 'x' * 9999 %}{% endfor %}{% endfor %}", "{% for %}"),
        ("{% macro contact() %}x{% endmacro %}", "{% macro %}"),
        ("{% with contact = 'x' * 9999 %}{{ contact ~ contact }}{% endwith %}", "{% with %}"),
    ],
)
def test_a_statement_filter_or_method_that_multiplies_a_text_is_refused_at_its_field(source, name):
    with pytest.raises(BadInput) as refused:
        render.check(source, "htmlZh")
    assert (refused.value.key, refused.value.field, refused.value.params["name"]) == (
        "template_not_allowed",
        "htmlZh",
        name,
    )


def test_formatting_a_text_with_percent_and_repeating_a_list_are_refused_while_arithmetic_stays():
    for source, reason in (("{{ '%100000000s' % 1 }}", "formatting"), ("{{ [contact.name] * 2 }}", "list")):
        with pytest.raises(BadInput) as refused:
            render.check(source, "textZh")
        assert (refused.value.key, reason in refused.value.params["detail"]) == ("template_render", True)
    assert render.check("{{ 7 % 4 * 2 }} {{ contact.name|upper|truncate(5) }}", "textZh")
    assert render.render(render.Parts("{{ 7 % 4 * 2 }}", "", ""), {}).subject == "6"


def test_rendering_stops_once_a_part_passes_its_longest():
    source = "{{ contact.name * 10000 }}" * 101
    with pytest.raises(render.RenderFailed) as failed:
        render.render(render.Parts("", source, ""), {"contact": {"name": "x"}})
    assert (failed.value.part, type(failed.value.__cause__)) == ("html", render.TooLong)
    assert len(render.render(render.Parts("", source[:-26], ""), {"contact": {"name": "x"}}).html) == 1_000_000


def test_one_expression_joining_many_repetitions_is_refused_before_it_is_built():
    """`~` builds its whole text before any of it is written: 8,000 repetitions in a 100,000-character source
    would have made 80 million characters at once."""
    source = "{{ " + " ~ ".join(["('x' * 10000)"] * 101) + " }}"
    with pytest.raises(BadInput) as refused:
        render.check(source, "htmlZh")
    assert (refused.value.key, refused.value.field) == ("template_too_long", "htmlZh")
    assert len(render.render(render.Parts("", source.replace(" ~ ('x' * 10000) }}", " }}"), ""), {}).html) == 1_000_000

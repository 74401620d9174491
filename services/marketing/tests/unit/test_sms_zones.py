"""A contact's time zone for quiet hours from its account's place: one zone for the mainland (the default),
others for Hong Kong, Taiwan and places abroad, written in Chinese, in English or as IANA names."""

from marketing.sms.zones import zone_name


def test_the_mainland_is_the_default_zone_and_places_outside_it_have_their_own():
    assert zone_name("广东", "深圳") is None
    assert zone_name("新疆", "乌鲁木齐市") is None  # China keeps one zone
    assert zone_name(None, None) is None
    assert zone_name("香港特别行政区", None) == "Asia/Hong_Kong"
    assert zone_name("台湾省", "台北市") == "Asia/Taipei"
    assert zone_name("日本", "东京都") == "Asia/Tokyo"


def test_the_city_comes_before_the_province_and_english_and_iana_names_are_read():
    assert zone_name("美国", "洛杉矶") == "America/Los_Angeles"
    assert zone_name("California", "Los  Angeles") == "America/Los_Angeles"
    assert zone_name("England", "london") == "Europe/London"
    assert zone_name(None, "America/New_York") == "America/New_York"
    assert zone_name("Etc/GMT-3", "无名小镇") == "Etc/GMT-3"

"""How masked fields look: enough to recognise, not enough to use."""


def mask_phone(phone: str) -> str:
    return phone[:3] + "*" * max(len(phone) - 7, 2) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


def mask_id_number(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:]

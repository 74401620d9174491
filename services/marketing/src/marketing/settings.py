"""Marketing settings (env prefix `MARKETING_`)."""

from typing import Annotated

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from crm_shared.config import Secret, ServiceSettings


class MarketingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MARKETING_", extra="ignore")

    port: int = 8004
    database_url: str = "postgresql+asyncpg://marketing:marketing-dev@127.0.0.1:55432/marketing"
    # where recipients reach the unsubscribe, open and click links; https in production (RFC 8058 one-click
    # unsubscribe is announced only for an https address)
    public_base_url: str = "http://127.0.0.1:8004"
    mail_address: str = "marketing@crm.local"  # the sender of campaign mail
    mail_name: str = "示例科技 Example Tech"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_seconds: float = 10.0
    send_seconds: float = 1.0  # how often queued campaign mail is looked for
    send_batch: int = 1000  # mails sent per run (each run's start and end leave the connections idle a moment)
    send_retry_seconds: float = 30.0  # the first wait after a failed send; it doubles on each failure
    send_retry_max_seconds: float = 3600.0
    send_max_attempts: int = 10  # then the mail is given up (`failed`)
    public_per_minute: int = 120  # unsubscribe, open and click requests per client address and minute
    public_burst: int = 60
    segment_window_seconds: float = 60.0  # how often "within the last N days" conditions are re-checked
    journey_batch: int = 500  # enrolments moved per transaction when their timers are due
    journey_poll_seconds: float = 5.0  # the longest the runner sleeps without a NOTIFY (a lost one is found then)
    handover_seconds: float = 5.0  # how often journeys' tasks and leads are handed to customer and sales
    service_api_key: str = ""  # marketing's service-account key: journeys' tasks and leads are created with it
    smtp_connections: int = 4  # SMTP connections a sender run keeps open and sends over side by side
    send_unrecorded: int = 8  # mails the relay accepted and not yet recorded sent, at most: a crash repeats these
    # DKIM: campaign mail is signed when a private key (PEM) is configured
    dkim_selector: str = "crm"
    dkim_domain: str = ""  # the signing domain (d=); the sender address's domain when empty
    dkim_key_path: str = ""
    # frequency caps: at most this many marketing messages per contact and channel within `cap_days`
    email_cap: int = 4
    sms_cap: int = 2
    cap_days: int = 7
    # SMS: `aliyun` (SendSms 2017-05-25) or `tencent` (SendSms 2021-01-11); `make run` points the endpoint
    # at the local provider server, which speaks both
    sms_provider: str = "aliyun"
    sms_endpoint: str = ""  # the provider's own when empty
    sms_region: str = ""  # cn-hangzhou (Aliyun) or ap-guangzhou (Tencent) when empty
    sms_access_key_id: str = "crm-dev-sms-key"  # AccessKeyId (Aliyun), SecretId (Tencent)
    sms_access_key_secret: Annotated[str, Secret(min_length=16)] = "crm-dev-sms-secret"
    sms_app_id: str = "1400000000"  # Tencent's SmsSdkAppId
    sms_callback_secret: Annotated[str, Secret(min_length=16)] = "crm-dev-sms-callback-secret"
    sms_per_second: float = 100.0  # the provider's rate limit, per sender process
    sms_seconds: float = 1.0
    sms_batch: int = 200
    sms_time_zone: str = "Asia/Shanghai"  # contacts' time zone for quiet hours (8:00–21:00)

    @model_validator(mode="after")
    def _https_in_production(self) -> "MarketingSettings":
        if self.platform.production and not self.public_base_url.startswith("https://"):
            raise ValueError("MARKETING_PUBLIC_BASE_URL must be an https address in production")
        return self

"""A service out of reach is an outage the consumer waits out; a refusal is not."""

from automation.workflows.remote import StepFailed, Unavailable
from crm_shared.events.faults import is_transient


def test_an_outage_of_the_called_service_is_retried_by_the_consumer_and_a_refusal_is_not():
    assert is_transient(Unavailable("sales answered 503")) is True
    assert is_transient(Unavailable("sales: SERVICE_UNAVAILABLE down")) is True
    assert is_transient(StepFailed("sales: BAD_USER_INPUT amount", retry=False)) is False
    assert isinstance(Unavailable("sales answered 503"), StepFailed)  # a workflow step still retries it on its timer

"""Bad input on the HTTP APIs: every API fuzzed from its own OpenAPI document (schemathesis).

No answer is a 5xx, and every 4xx is application/problem+json. `make test` runs a few examples per operation;
`make faults` many (WERKKLOKET_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ..conftest import Stack

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("WERKKLOKET_FUZZ_EXAMPLES", "8"))
# An organisation allowed to call each service, so that the fuzzer reaches past authentication.
CALLER = {
    "intake": "gemeente-den-haag",
    "matching": "gemeente-den-haag",
    "plaatsing": "hofstad-uitzend",
    "rapportage": "programmamanager",
}


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("service", sorted(CALLER))
def test_fuzzed_requests_get_no_5xx_and_problem_json(stack: Stack, service: str) -> None:
    base = stack.url(service)
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), authorised=st.booleans())
        def check(case: schemathesis.Case, authorised: bool) -> None:
            headers = stack.auth(CALLER[service]) if authorised else {}
            response = case.call(base_url=base, headers=headers, timeout=30)
            statuses[response.status_code] += 1
            label = f"{case.method} {case.formatted_path} → {response.status_code}"
            assert response.status_code < 500, f"{label}: {response.text[:500]}"
            if response.status_code >= 400:
                content_type = response.headers.get("content-type", [""])[0]
                assert content_type.startswith("application/problem+json"), f"{label}: {content_type}"

        check()
    assert operations >= 1
    assert sum(statuses.values()) >= operations  # at least one request per operation was sent
    assert any(400 <= s < 500 for s in statuses), statuses  # the fuzzer did reach the error paths

"""Fetching over HTTP, against a real server on 127.0.0.1 playing the remote page.

The server answers as a Statuspage page does (history pages, one document
per incident) and misbehaves as real ones do: a 429 with Retry-After, a
500, an answer that never comes in time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_import_support import FAST, Reply, needs_samples, remote_page, sample

from sitegen.importers.errors import FetchFailed
from sitegen.importers.fetching import Fetcher, Politeness
from sitegen.importers.incidentio import crawl_incidentio
from sitegen.importers.statuspage_manage import auth_headers, fetch_managed
from sitegen.importers.statuspage_web import crawl_statuspage, page_root

PAGE = {"id": "pg1", "name": "Remote", "url": "https://status.remote.test", "time_zone": "UTC"}
COMPONENTS = [{"id": "c1", "name": "API", "group": False, "group_id": None, "position": 1}]


def incident(code: str, day: int, status: str = "resolved") -> dict[str, Any]:
    updates = [
        {
            "id": f"{code}-2",
            "status": status,
            "body": "Over.",
            "display_at": f"2024-05-{day:02d}T11:00:00Z",
            "affected_components": [
                {"code": "c1", "name": "API", "old_status": "major_outage", "new_status": "operational"}
            ],
        },
        {
            "id": f"{code}-1",
            "status": "investigating",
            "body": "Down.",
            "display_at": f"2024-05-{day:02d}T10:00:00Z",
            "affected_components": [
                {"code": "c1", "name": "API", "old_status": "operational", "new_status": "major_outage"}
            ],
        },
    ]
    return {
        "id": code,
        "name": f"Outage {code}",
        "status": status,
        "impact": "critical",
        "started_at": f"2024-05-{day:02d}T10:00:00Z",
        "incident_updates": updates,
    }


def history_page(*codes: str) -> dict[str, Any]:
    listed = [
        {"code": c, "name": f"Outage {c}", "message": "Over.", "impact": "critical", "timestamp": "..."} for c in codes
    ]
    return {
        "months": [{"name": "May", "year": 2024, "incidents": listed}, {"name": "April", "year": 2024, "incidents": []}]
    }


def play_statuspage(remote: Any, codes: dict[str, list[Reply]]) -> None:
    remote.json(
        "/api/v2/summary.json", {"page": PAGE, "components": COMPONENTS, "incidents": [], "scheduled_maintenances": []}
    )
    names = list(codes)
    remote.json("/history.json?page=1", history_page(*names[:2]))
    remote.json("/history.json?page=2", history_page(*names[2:]))
    remote.json("/history.json?page=3", {"months": []})
    for code, replies in codes.items():
        remote.route(f"/api/v2/incidents/{code}.json", *replies)


def test_the_crawl_reads_every_history_page_and_each_incident_through_errors() -> None:
    with remote_page() as remote:
        play_statuspage(
            remote,
            {
                "aaa": [
                    Reply(429, {"error": "slow down"}, {"Retry-After": "1"}),
                    Reply(body={"page": PAGE, "incident": incident("aaa", 1)}),
                ],
                "bbb": [Reply(500, {"error": "oops"}), Reply(body={"page": PAGE, "incident": incident("bbb", 2)})],
                "ccc": [Reply(delay=1.0, body={}), Reply(body={"page": PAGE, "incident": incident("ccc", 3)})],
            },
        )
        with Fetcher(FAST) as fetcher:
            history = crawl_statuspage(remote.url + "history", fetcher)
        assert sorted(i.source_id for i in history.incidents) == ["aaa", "bbb", "ccc"]
        assert all(len(i.updates) == 2 for i in history.incidents)
        first, second = remote.requests_for("/api/v2/incidents/aaa.json")
        assert second.at - first.at >= 0.95  # Retry-After: 1 was honoured
        assert len(remote.requests_for("/api/v2/incidents/bbb.json")) == 2
        assert len(remote.requests_for("/api/v2/incidents/ccc.json")) == 2  # the first timed out
        assert [s.path for s in remote.seen if "history" in s.path] == [f"/history.json?page={n}" for n in (1, 2, 3)]
        assert remote.peak <= 2
        assert all(s.headers.get("User-Agent", "").endswith("(status page import)") for s in remote.seen)


def test_a_quiet_year_ends_the_history_and_a_quiet_quarter_does_not() -> None:
    with remote_page() as remote:
        remote.json("/api/v2/summary.json", {"page": PAGE, "components": COMPONENTS})
        remote.json("/history.json?page=1", history_page("aaa"))
        remote.json("/history.json?page=2", history_page())
        remote.json("/history.json?page=3", history_page("bbb"))
        for n in range(4, 10):
            remote.json(f"/history.json?page={n}", history_page())
        for code, day in (("aaa", 1), ("bbb", 2)):
            remote.json(f"/api/v2/incidents/{code}.json", {"page": PAGE, "incident": incident(code, day)})
        with Fetcher(FAST) as fetcher:
            history = crawl_statuspage(remote.url, fetcher, quiet_pages=2)
        assert sorted(i.source_id for i in history.incidents) == ["aaa", "bbb"]
        assert remote.requests_for("/history.json?page=5") and not remote.requests_for("/history.json?page=6")


def test_an_unresolved_incident_from_the_summary_is_fetched_too() -> None:
    with remote_page() as remote:
        play_statuspage(remote, {"aaa": [Reply(body={"page": PAGE, "incident": incident("aaa", 1)})]})
        open_one = incident("zzz", 9, status="identified")
        remote.json("/api/v2/summary.json", {"page": PAGE, "components": COMPONENTS, "incidents": [open_one]})
        remote.json("/api/v2/incidents/zzz.json", {"page": PAGE, "incident": open_one})
        with Fetcher(FAST) as fetcher:
            history = crawl_statuspage(remote.url, fetcher)
        assert sorted(i.source_id for i in history.incidents) == ["aaa", "zzz"]


@pytest.mark.parametrize(
    ("replies", "message"),
    [
        ([Reply(404, {"error": "gone"})], "api/v2/incidents/aaa.json: 404 Not Found"),
        ([Reply(503, {"error": "down"})], "api/v2/incidents/aaa.json: 503 Service Unavailable (tried 4 times)"),
        ([Reply(429, {}, {"Retry-After": "86400"})], "the server asks to wait 86400 s"),
        ([Reply(body=b"<html>not json</html>")], "the answer is not JSON (application/json)"),
    ],
)
def test_what_cannot_be_fetched_fails_with_the_url_and_why(replies: list[Reply], message: str) -> None:
    with remote_page() as remote:
        play_statuspage(remote, {"aaa": replies})
        with Fetcher(FAST) as fetcher, pytest.raises(FetchFailed) as raised:
            crawl_statuspage(remote.url, fetcher)
        assert message in raised.value.message


def test_a_timeout_on_every_try_is_reported() -> None:
    with remote_page() as remote:
        remote.route("/api/v2/summary.json", Reply(delay=0.4, body={}))
        with Fetcher(Politeness(retries=1, backoff=0.01, timeout=0.1)) as fetcher, pytest.raises(FetchFailed) as raised:
            crawl_statuspage(remote.url, fetcher)
        assert raised.value.message.endswith("summary.json: no answer within 0.1 s (tried 2 times)")


def test_page_root_accepts_the_page_or_any_of_its_documents() -> None:
    assert page_root("https://status.example.com") == "https://status.example.com/"
    assert page_root("https://org.github.io/status/api/v2/summary.json") == "https://org.github.io/status/"
    assert page_root("https://org.github.io/status/history.json?page=2") == "https://org.github.io/status/"
    with pytest.raises(FetchFailed):
        page_root("status.example.com")


def test_the_management_api_pages_by_100_one_request_at_a_time_with_the_key() -> None:
    many = [incident(f"m{n:03d}", 1 + n % 28) for n in range(101)]
    for n, item in enumerate(many):
        item["postmortem_body"] = "Why." if n == 0 else None
    with remote_page() as remote:
        base = "/v1/pages/pg1"
        remote.json(base, {"id": "pg1", "name": "Managed", "subdomain": "managed", "time_zone": "UTC"})
        remote.json(f"{base}/components?page=1&per_page=100", COMPONENTS)
        remote.json(f"{base}/component-groups?page=1&per_page=100", [])
        remote.json(f"{base}/incidents?page=1&per_page=100", many[:100])
        remote.json(f"{base}/incidents?page=2&per_page=100", many[100:])
        politeness = Politeness(concurrency=1, interval=0.1, retries=1, backoff=0.01, timeout=1)
        with Fetcher(politeness, headers=auth_headers("secret-key")) as fetcher:
            history = fetch_managed("pg1", fetcher, api_url=remote.url + "v1/")
        assert len(history.incidents) == 101 and history.page is not None
        assert history.page.url == "https://managed.statuspage.io"
        assert sum(i.writeup is not None for i in history.incidents) == 1
        assert all(s.headers["Authorization"] == "OAuth secret-key" for s in remote.seen)
        starts = [s.at for s in remote.seen]
        assert len(starts) == 5 and all(b - a >= 0.08 for a, b in zip(starts, starts[1:]))
        assert remote.peak == 1


@needs_samples
def test_incidentio_pages_are_read_from_their_proxy_documents() -> None:
    summary = {
        "summary": {
            "name": "Pleo",
            "public_url": "https://status.pleo.io",
            "components": [{"id": "01JEV56RY027PA4NYX5H2RNAMC", "name": "Invoices"}],
            "structure": {
                "items": [
                    {
                        "group": {
                            "id": "g",
                            "name": "Product",
                            "components": [
                                {"component_id": "01JEV56RY027PA4NYX5H2RNAMC", "name": "Invoices"},
                                {"component_id": "01JEV56RY0GV18JSH8N9GECJ1G", "name": "Cards"},
                            ],
                        }
                    }
                ]
            },
        }
    }
    with remote_page() as remote:
        remote.json("/proxy/127.0.0.1", summary)
        remote.json(
            "/proxy/127.0.0.1/incidents", json.loads(sample("incidentio-proxy-incidents-pleo-2026-01.json").read_text())
        )
        with Fetcher(FAST) as fetcher:
            history = crawl_incidentio(remote.url, fetcher)
    assert [(c.name, c.group) for c in history.components] == [("Invoices", "Product"), ("Cards", "Product")]
    assert len(history.incidents) == 2


def test_a_host_that_ignores_the_page_number_ends_the_history_at_the_repeat() -> None:
    with remote_page() as remote:
        remote.json("/api/v2/summary.json", {"page": PAGE, "components": COMPONENTS})
        for n in range(1, 5):  # a static host: the same document whatever ?page= says
            remote.json(f"/history.json?page={n}", history_page("aaa"))
        remote.json("/api/v2/incidents/aaa.json", {"page": PAGE, "incident": incident("aaa", 1)})
        with Fetcher(FAST) as fetcher:
            history = crawl_statuspage(remote.url, fetcher)
        assert [i.source_id for i in history.incidents] == ["aaa"]
        assert [s.path for s in remote.seen if "history" in s.path] == ["/history.json?page=1", "/history.json?page=2"]

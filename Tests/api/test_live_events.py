"""The live table's Server-Sent Events (`GET /api/v1/roundtables/{id}/events`) against a real
`cocrea serve --demo` of its own, on the demo table that is ready to sit today (Zapopan):

(a) 30 clients connected at once all receive an intervention posted through the API;
(b) a client that disconnects and comes back with `Last-Event-ID: N` gets exactly the events after
    N, in order, nothing lost and nothing repeated; (c) the same with `?after=N`;
(d) an outsider (a member of another exercise) and a request without a token get a problem+json
    404 / 401 and never a stream.

Every connection has a timeout and is closed in a `finally`; the server is stopped at the end."""
import concurrent.futures
import json
import pathlib
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ADMIN, API, cocrea_server  # noqa: E402
from sse_client import SSEClient  # noqa: E402

READY_EXERCISE = "Mesa de diálogo de Zapopan 2026 (lista para sesionar)"
FACILITATOR = "jorge.ramirez@stl-jalisco.example"
LUCIA = "lucia@datosabiertos-gdl.example"
CLIENTS = 30


@pytest.fixture(scope="module")
def live():
    with cocrea_server() as server:
        facilitator = API(server.base, server.token(FACILITATOR))
        exercise = next(e for e in facilitator("GET", "/exercises") if e["name"] == READY_EXERCISE)
        (table,) = facilitator("GET", f"/exercises/{exercise['id']}/roundtables")
        facilitator("POST", f"/roundtables/{table['id']}/stage", {"stage": "introduction"})
        yield dict(server=server, base=server.base, facilitator=facilitator, member=API(server.base, server.token(LUCIA)),
                   exercise=exercise["id"], table=table["id"], events=f"{server.base}/api/v1/roundtables/{table['id']}/events")


def post_intervention(api, table, text, kind="contribution"):
    return api("POST", f"/roundtables/{table}/interventions", {"kind": kind, "text": text})


def is_intervention(text):
    return lambda event: event.type == "intervention" and (event.data or {}).get("text") == text


def test_thirty_clients_all_receive_a_new_intervention(live):
    token = live["member"].token
    clients = []
    try:
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            clients = list(pool.map(lambda _: SSEClient(live["events"], token=token), range(CLIENTS)))
        for client in clients:
            client.wait_connected(timeout=20)
        text = f"Aportación para las {CLIENTS} conexiones {uuid.uuid4().hex[:8]}"
        sent = time.monotonic()
        posted = post_intervention(live["member"], live["table"], text)
        latencies = []
        for number, client in enumerate(clients):
            (event,) = client.wait_for(is_intervention(text), timeout=15)
            assert event.id is not None, f"cliente {number}: evento sin id"
            assert event.data["interventionId"].lower() == str(posted["id"]).lower(), event.data
            assert event.data["memberName"] == "Lucía Hernández Paredes", event.data
            latencies.append((event.received - sent) * 1000)
        ids = {client.wait_for(is_intervention(text))[0].id for client in clients}
        assert len(ids) == 1, f"every client saw the same event id: {ids}"
        print(f"\n{CLIENTS} clientes recibieron la intervención; latencia máx {max(latencies):.1f} ms, "
              f"mediana {sorted(latencies)[len(latencies) // 2]:.1f} ms")
    finally:
        for client in clients:
            client.close()


def last_id_after_marker(live):
    """Connects, posts a marker and reads up to it: returns the marker's event id (N)."""
    marker = f"Marca {uuid.uuid4().hex[:8]}"
    with SSEClient(live["events"], token=live["member"].token) as client:
        client.wait_connected()
        post_intervention(live["member"], live["table"], marker)
        (event,) = client.wait_for(is_intervention(marker))
        everything = client.snapshot()
    ids = [e.id for e in everything]
    assert ids == sorted(ids) and len(ids) == len(set(ids)), f"ids in order, no repeats: {ids}"
    return event.id


def catch_up(live, resume):
    """Disconnects at N, posts three interventions while away, reconnects with `resume(N)` and
    checks that exactly those three arrive, in order."""
    n = last_id_after_marker(live)
    texts = [f"Mientras no estaba {i} {uuid.uuid4().hex[:6]}" for i in (1, 2, 3)]
    for text in texts:
        post_intervention(live["member"], live["table"], text, kind="doubt")
    with resume(n) as client:
        client.wait_connected()
        client.wait_for(lambda e: e.type == "intervention", count=3, timeout=10)
        time.sleep(1.0)  # anything more would have come with the catch-up
        received = client.snapshot()
    assert [e.type for e in received] == ["intervention"] * 3, received
    assert [e.data["text"] for e in received] == texts, received
    ids = [e.id for e in received]
    assert all(isinstance(i, int) and i > n for i in ids), (n, ids)
    assert ids == sorted(ids) and len(set(ids)) == 3, ids
    return n, ids


def test_reconnecting_with_last_event_id_gets_exactly_what_was_missed(live):
    n, ids = catch_up(live, lambda n: SSEClient(live["events"], token=live["member"].token, last_event_id=n))
    print(f"\nLast-Event-ID: {n} → {ids}")


def test_reconnecting_with_after_gets_exactly_what_was_missed(live):
    n, ids = catch_up(live, lambda n: SSEClient(f"{live['events']}?after={n}", token=live["member"].token))
    print(f"\n?after={n} → {ids}")


def problem(client):
    assert not client.is_stream, f"a stream was opened: {client.status} {client.content_type}"
    assert client.content_type.startswith("application/problem+json"), (client.status, client.content_type, client.body[:300])
    body = json.loads(client.body)
    assert body["status"] == client.status, body
    return body


def test_an_outsider_or_no_token_never_gets_a_stream(live):
    admin = API(live["base"], live["server"].token(ADMIN))
    other = admin("POST", "/exercises", {"name": f"Otro ejercicio {uuid.uuid4().hex[:6]}", "territory": "Tlaquepaque, Jalisco",
                                         "timeZone": "America/Mexico_City"})
    outsider_email = f"ajena-{uuid.uuid4().hex[:6]}@otro-ejercicio.example"
    admin("POST", f"/exercises/{other['id']}/members", {"name": "Persona de otro ejercicio", "email": outsider_email,
                                                         "sector": "civilSociety", "organization": "Colectivo de Tlaquepaque"})
    outsider = live["server"].token(outsider_email)

    for url, token, status in [(live["events"], outsider, 404), (f"{live['events']}?after=0", outsider, 404),
                               (live["events"], None, 401), (f"{live['events']}?after=0", None, 401),
                               (f"{live['base']}/api/v1/roundtables/{uuid.uuid4()}/events", live["member"].token, 404)]:
        client = SSEClient(url, token=token, timeout=10)
        try:
            assert client.status == status, (url, token is not None, client.status, client.body[:300])
            problem(client)
        finally:
            client.close()

    # The console page's stream (cookie session) is no different for an outsider: not signed in, no stream.
    request = urllib.request.Request(f"{live['base']}/exercises/{live['exercise']}/roundtables/{live['table']}/events",
                                     headers={"Accept": "text/event-stream"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            assert not response.headers.get("Content-Type", "").startswith("text/event-stream"), response.headers
    except urllib.error.HTTPError as error:
        assert error.code in (401, 303, 302, 404), error.code

"""The threaded server: start/stop, ports, the HTTP side endpoints, and the CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from sandbox import DEMO_SECRET_KEY, Sandbox, SandboxStartError


def port_is_free(port: int) -> bool:
    """Whether a new server can listen on 127.0.0.1:port (SO_REUSEADDR, as servers set it,
    so connections in TIME_WAIT do not count; a live listener does)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def test_port_zero_reports_the_real_port_and_stop_frees_it():
    sandbox = Sandbox().start()
    port = sandbox.port
    assert port > 0 and sandbox.url == f"http://127.0.0.1:{port}"
    assert httpx.get(sandbox.url + "/__sandbox/health").json() == {"ok": True}
    assert not port_is_free(port)
    sandbox.stop()
    assert not sandbox.running
    assert port_is_free(port)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/__sandbox/health")


def test_stop_is_quick_with_a_client_still_connected():
    sandbox = Sandbox().start()
    with httpx.Client() as keep_alive:
        keep_alive.get(sandbox.url + "/__sandbox/health")  # an idle pooled connection stays open
        started = time.monotonic()
        sandbox.stop()
        assert time.monotonic() - started < 3.0
    assert port_is_free(sandbox.port)
    with Sandbox(port=sandbox.port) as again:
        assert httpx.get(again.url + "/__sandbox/health").status_code == 200


def test_explicit_port_and_restart_on_the_same_port():
    with Sandbox() as first:
        port = first.port
    with Sandbox(port=port) as second:
        assert second.port == port
        assert httpx.get(second.url + "/__sandbox/health").status_code == 200


def test_port_in_use_is_a_clear_error():
    with Sandbox() as running, pytest.raises(SandboxStartError, match="cannot listen on 127.0.0.1"):
        Sandbox(port=running.port).start()


@pytest.mark.parametrize("secret_key", ["", " padded "])
def test_bad_credentials_are_refused_without_echoing_them(secret_key):
    with pytest.raises(ValueError) as info:
        Sandbox(secret_key=secret_key)
    assert "padded" not in str(info.value)


def test_repr_never_shows_the_key():
    sandbox = Sandbox(secret_key="TopSecretKey123", token="TopSecretToken")
    assert "TopSecret" not in repr(sandbox)
    assert "TopSecret" not in repr(sandbox._service.accounts)


def test_reset_clears_stats_and_rate_limit_history(post, code_of):
    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    with Sandbox(qps=1) as sandbox:
        assert code_of(post(sandbox.url, body)) == "InvalidParameter"
        assert code_of(post(sandbox.url, body)) == "RequestLimitExceeded"
        sandbox.reset()
        assert sandbox.stats()["calls"] == 0
        assert code_of(post(sandbox.url, body)) == "InvalidParameter"


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[str, subprocess.Popen]:
    """Start `python -m sandbox`, return its ready line and the process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    return process.stdout.readline().strip(), process


def stop_cli(process: subprocess.Popen) -> str:
    """SIGTERM the CLI and return its stderr; it must exit 0."""
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    return stderr


def test_cli_ready_line_with_demo_pair_serves_the_sdk(sdk, detect):
    line, process = run_cli()
    try:
        assert line.startswith("Sandbox ready / 沙箱已就绪: http://127.0.0.1:")
        assert "SecretId=AKIDSandboxDemoEXAMPLE" in line and DEMO_SECRET_KEY in line
        url = line.split()[4]
        assert httpx.get(url + "/__sandbox/health").json() == {"ok": True}
    finally:
        stderr = stop_cli(process)
    assert "Traceback" not in stderr


def test_cli_credentials_from_environment_are_not_echoed():
    env = {"SANDBOX_SECRET_ID": "AKIDFromEnv", "SANDBOX_SECRET_KEY": "EnvKeyMustNotPrint"}
    line, process = run_cli("--token", "TokenMustNotPrint", env=env)
    try:
        assert "SecretId=AKIDFromEnv" in line
        assert "<from SANDBOX_SECRET_KEY>" in line and "X-TC-Token required" in line
        assert "MustNotPrint" not in line
    finally:
        stderr = stop_cli(process)
    assert "MustNotPrint" not in stderr


def test_cli_flag_errors_are_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--secret-id", "AKIDOnly"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--secret-id and --secret-key together" in result.stderr


def test_cli_ctrl_c_before_ready_is_one_line_and_stops_the_server(monkeypatch, capsys):
    import sandbox.cli

    stopped: list[bool] = []
    real_stop = Sandbox.stop

    def slow_start(self: Sandbox) -> Sandbox:
        raise KeyboardInterrupt  # Ctrl+C while the server thread is coming up

    def recording_stop(self: Sandbox) -> None:
        stopped.append(True)
        real_stop(self)

    monkeypatch.setattr(Sandbox, "start", slow_start)
    monkeypatch.setattr(Sandbox, "stop", recording_stop)
    assert sandbox.cli.main(["--port", "0"], environ={}) == 130
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and stopped


def test_stop_is_quick_while_a_reply_is_still_trickling(post):
    import threading

    from sandbox import Faults

    body = b'{"FaceInput": "eA==", "FaceInputType": 3}'
    sandbox = Sandbox(qps=0, faults=Faults(slow_body_rate=1.0, slow_body_ms=8000)).start()
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(post(sandbox.url, body))
        except httpx.HTTPError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    time.sleep(0.5)  # the reply has started trickling
    started = time.monotonic()
    sandbox.stop()
    assert time.monotonic() - started < 4.0
    worker.join(10)
    assert outcome and isinstance(outcome[0], httpx.HTTPError)  # cut off, not hung
    assert port_is_free(sandbox.port)

"""The credentials chain with a temporary HOME and environment; secrets never shown."""

from __future__ import annotations

import json
import logging

import pytest

from client import ConfigError, Credentials, find_credentials, resolve_credentials

KEY = "SuperSecretKeyABCDEFGH12345678"
TOKEN = "SessionTokenXYZ0987654321"


def write_profile(home, secret_id="AKIDprofile00001111", secret_key=KEY, extra=""):
    path = home / ".tencentcloud" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"[default]\nsecret_id = {secret_id}\nsecret_key = {secret_key}\n{extra}", encoding="utf-8"
    )
    return path


def write_tccli(home, profile="default", **values):
    path = home / ".tccli" / f"{profile}.credential"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"secretId": "AKIDtccli000022223333", "secretKey": KEY, **values}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


ENV = {"TENCENTCLOUD_SECRET_ID": "AKIDenv0000444455556666", "TENCENTCLOUD_SECRET_KEY": KEY}


def test_explicit_values_win_over_everything(tmp_path):
    write_profile(tmp_path)
    write_tccli(tmp_path)
    creds = resolve_credentials("AKIDexplicit1234567", KEY, environ=ENV, home=tmp_path)
    assert (creds.secret_id, creds.source) == ("AKIDexplicit1234567", "explicit")


def test_environment_wins_over_files_and_reads_token(tmp_path):
    write_profile(tmp_path)
    creds = resolve_credentials(environ={**ENV, "TENCENTCLOUD_TOKEN": TOKEN}, home=tmp_path)
    assert (
        creds.secret_id == "AKIDenv0000444455556666" and creds.token == TOKEN and creds.is_temporary
    )
    assert "TENCENTCLOUD_SECRET_ID" in creds.source


def test_profile_file_default_section(tmp_path):
    path = write_profile(tmp_path)
    write_tccli(tmp_path)
    creds = resolve_credentials(environ={}, home=tmp_path)
    assert (
        creds.secret_id == "AKIDprofile00001111" and creds.secret_key == KEY and creds.token is None
    )
    assert creds.source == f"{path} [default]"


def test_profile_without_default_section_falls_through_to_tccli(tmp_path):
    path = tmp_path / ".tencentcloud" / "credentials"
    path.parent.mkdir(parents=True)
    path.write_text("[other]\nsecret_id = a\nsecret_key = b\n", encoding="utf-8")
    tccli = write_tccli(tmp_path)
    assert resolve_credentials(environ={}, home=tmp_path).source == str(tccli)


def test_tccli_profile_from_environment(tmp_path):
    write_tccli(tmp_path, "default")
    work = write_tccli(tmp_path, "work", secretId="AKIDwork0000999988887777", token=TOKEN)
    creds = resolve_credentials(environ={"TCCLI_PROFILE": "work"}, home=tmp_path)
    assert (creds.secret_id, creds.token, creds.source) == (
        "AKIDwork0000999988887777",
        TOKEN,
        str(work),
    )
    assert resolve_credentials(environ={}, home=tmp_path).secret_id == "AKIDtccli000022223333"


def test_home_comes_from_environ_when_not_given(tmp_path):
    write_profile(tmp_path)
    assert resolve_credentials(environ={"HOME": str(tmp_path)}).secret_id == "AKIDprofile00001111"


def test_nothing_found_lists_every_place(tmp_path):
    assert find_credentials(environ={"TCCLI_PROFILE": "team"}, home=tmp_path) is None
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(environ={"TCCLI_PROFILE": "team"}, home=tmp_path)
    message = str(caught.value)
    for place in (
        "explicit",
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        str(tmp_path / ".tencentcloud" / "credentials"),
        str(tmp_path / ".tccli" / "team.credential"),
    ):
        assert place in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("secret_id", "secret_key", "expected"),
    [
        ("", KEY, "SecretId is empty"),
        ("   ", KEY, "SecretId is empty"),
        (" AKIDpadded12345", KEY, "SecretId has leading or trailing whitespace"),
        ("AKIDok1234567890", f"{KEY}\n", "SecretKey has leading or trailing whitespace"),
        ("AKIDok1234567890", "", "SecretKey is empty"),
        ("AKIDok1234567890", None, "SecretKey is missing"),
        (None, KEY, "SecretId is missing"),
    ],
)
def test_explicit_bad_values_are_rejected_without_echo(tmp_path, secret_id, secret_key, expected):
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(secret_id, secret_key, environ=ENV, home=tmp_path)
    assert expected in str(caught.value)
    assert KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TENCENTCLOUD_SECRET_ID": "AKIDenv0000444455556666"}, "TENCENTCLOUD_SECRET_KEY is not"),
        ({"TENCENTCLOUD_SECRET_KEY": KEY}, "TENCENTCLOUD_SECRET_ID is not"),
        (
            {**ENV, "TENCENTCLOUD_SECRET_KEY": f" {KEY} "},
            "SecretKey has leading or trailing whitespace; remove it (environment",
        ),
        ({**ENV, "TENCENTCLOUD_SECRET_ID": ""}, "SecretId is empty (environment"),
        ({**ENV, "TENCENTCLOUD_TOKEN": f"{TOKEN} "}, "Token has leading or trailing whitespace"),
    ],
)
def test_broken_environment_is_reported_not_skipped(tmp_path, environ, expected):
    write_profile(tmp_path)  # a usable file must not hide the broken environment
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(environ=environ, home=tmp_path)
    assert expected in str(caught.value)
    assert KEY not in str(caught.value) and TOKEN not in str(caught.value)


def test_broken_files_are_reported(tmp_path):
    write_profile(tmp_path, secret_key="")
    with pytest.raises(ConfigError, match=r"SecretKey is empty \(.*credentials \[default\]\)"):
        resolve_credentials(environ={}, home=tmp_path)
    (tmp_path / ".tencentcloud" / "credentials").unlink()
    tccli = tmp_path / ".tccli" / "default.credential"
    tccli.parent.mkdir()
    tccli.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read .*default.credential: JSONDecodeError"):
        resolve_credentials(environ={}, home=tmp_path)
    tccli.write_text(json.dumps({"secretId": "AKIDtccli000022223333"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="SecretKey is missing"):
        resolve_credentials(environ={}, home=tmp_path)


def test_a_credentials_folder_that_cannot_be_looked_into_is_reported(tmp_path, monkeypatch):
    # `~/.tencentcloud` without search permission makes Path.is_file() raise (not return
    # False). Root ignores chmod, so the refusal is simulated where the system raises it.
    from pathlib import Path

    locked = tmp_path / ".tencentcloud" / "credentials"
    real_is_file = Path.is_file

    def is_file(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    with pytest.raises(ConfigError, match=r"cannot read .*credentials: Permission denied"):
        resolve_credentials(environ={}, home=tmp_path)
    assert resolve_credentials(environ=ENV, home=tmp_path).source.startswith("environment")


def test_secret_never_in_repr_str_or_logs(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    creds = resolve_credentials(environ={**ENV, "TENCENTCLOUD_TOKEN": TOKEN}, home=tmp_path)
    shown = [repr(creds), str(creds), f"{creds}", creds.masked_id, creds.source]
    shown += [record.getMessage() for record in caplog.records]
    for text in shown:
        assert KEY not in text and TOKEN not in text
        assert "AKIDenv0000444455556666" not in text
    assert creds.masked_id == "AKID…6666"
    assert "temporary" in repr(creds)


def test_credentials_are_frozen():
    creds = Credentials("AKIDexplicit1234567", KEY)
    with pytest.raises(AttributeError):
        creds.secret_key = "other"


def test_configuration_errors_speak_chinese_too(tmp_path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_credentials(environ={}, home=tmp_path)
    assert "未找到腾讯云密钥" in caught.value.text("zh")
    assert caught.value.text("en") == str(caught.value)
    with pytest.raises(ConfigError) as padded:
        resolve_credentials(" AKIDpadded", "key", environ={}, home=tmp_path)
    assert "首尾有空白字符" in padded.value.text("zh")


def test_a_named_explicit_place_keeps_the_one_precedence_rule(tmp_path):
    # The page's settings file is the explicit place: it wins over the environment, and
    # half of a pair there is an error naming that place, not a fall-through.
    creds = find_credentials(
        "AKIDsecrets12345678", KEY, environ=ENV, home=tmp_path, source="secrets"
    )
    assert (creds.secret_id, creds.source) == ("AKIDsecrets12345678", "secrets")
    assert find_credentials(environ=ENV, home=tmp_path, source="secrets").source.startswith(
        "environment"
    )
    with pytest.raises(ConfigError, match=r"SecretKey is missing.*\(secrets\)") as caught:
        find_credentials("AKIDsecrets12345678", None, environ=ENV, home=tmp_path, source="secrets")
    assert "secrets" in caught.value.text("zh")

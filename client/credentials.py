"""Where the SecretId/SecretKey come from, first found wins:

1. explicit values (arguments, command-line flags, the app's secrets),
2. environment: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, optional `TENCENTCLOUD_TOKEN`,
3. `~/.tencentcloud/credentials`, INI section `[default]`, keys `secret_id`, `secret_key`
   (optional `token`),
4. tccli's `~/.tccli/<TCCLI_PROFILE or default>.credential`, JSON `secretId`, `secretKey`,
   optional `token`.

`Credentials.source` names the place used, never the key. A place that is present but
broken (one half missing, empty or whitespace-padded values, unreadable file) is a
`ConfigError` naming that place, rather than silently falling through to the next.
"""

from __future__ import annotations

import configparser
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from client.errors import ConfigError
from client.signing import mask_secret_id

__all__ = [
    "ENV_SECRET_ID",
    "ENV_SECRET_KEY",
    "ENV_TOKEN",
    "Credentials",
    "find_credentials",
    "resolve_credentials",
]

ENV_SECRET_ID = "TENCENTCLOUD_SECRET_ID"
ENV_SECRET_KEY = "TENCENTCLOUD_SECRET_KEY"
ENV_TOKEN = "TENCENTCLOUD_TOKEN"


def _required(name: str, value: object, source: str) -> str:
    """`value` when it is a usable credential value; ConfigError naming `source` otherwise."""
    _check_value(name, value, source)
    assert isinstance(value, str)  # _check_value refused anything else
    return value


def _check_value(name: str, value: object, source: str, *, required: bool = True) -> None:
    """ConfigError when a credential value is missing, empty or padded; never echoes it."""
    if value is None:
        if required:
            raise ConfigError(f"{name} is missing ({source})", zh=f"缺少 {name}（{source}）")
        return
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be text ({source})", zh=f"{name} 必须是文本（{source}）")
    if not value.strip():
        raise ConfigError(f"{name} is empty ({source})", zh=f"{name} 为空（{source}）")
    if value != value.strip():
        raise ConfigError(
            f"{name} has leading or trailing whitespace; remove it ({source})",
            zh=f"{name} 首尾有空白字符，请删除（{source}）",
        )


@dataclass(frozen=True)
class Credentials:
    """A SecretId/SecretKey pair (plus a token for temporary credentials) and where it was found.

    The key and token are excluded from `repr`/`str`; `secret_id` is shown masked."""

    secret_id: str = field(repr=False)
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    source: str = "explicit"

    def __post_init__(self) -> None:
        _check_value("SecretId", self.secret_id, self.source)
        _check_value("SecretKey", self.secret_key, self.source)
        _check_value("Token", self.token, self.source, required=False)

    @property
    def masked_id(self) -> str:
        """The SecretId with its middle hidden, safe to show: `AKID…1234`."""
        return mask_secret_id(self.secret_id)

    @property
    def is_temporary(self) -> bool:
        """True when a token is present (temporary credentials, sent as `X-TC-Token`)."""
        return self.token is not None

    def __repr__(self) -> str:
        temporary = ", temporary" if self.token is not None else ""
        return f"Credentials(secret_id={self.masked_id!r}{temporary}, source={self.source!r})"

    __str__ = __repr__


def _from_explicit(
    secret_id: str | None, secret_key: str | None, token: str | None, source: str
) -> Credentials | None:
    """Explicit values, if any were given; one half alone is an error."""
    shown = "显式参数" if source == "explicit" else source
    if secret_id is None and secret_key is None:
        if token is not None:
            raise ConfigError(
                f"a token was given without a SecretId and SecretKey ({source})",
                zh=f"只提供了 Token，缺少 SecretId 和 SecretKey（{shown}）",
            )
        return None
    if secret_id is None or secret_key is None:
        missing = "SecretKey" if secret_key is None else "SecretId"
        raise ConfigError(
            f"{missing} is missing: give both SecretId and SecretKey ({source})",
            zh=f"缺少 {missing}：请同时提供 SecretId 和 SecretKey（{shown}）",
        )
    return Credentials(secret_id, secret_key, token or None, source=source)


def _from_environment(environ: Mapping[str, str]) -> Credentials | None:
    """`TENCENTCLOUD_SECRET_ID` / `_KEY` / `_TOKEN`; both unset means not found here."""
    sid, key = environ.get(ENV_SECRET_ID), environ.get(ENV_SECRET_KEY)
    if sid is None and key is None:
        return None
    source = f"environment variables {ENV_SECRET_ID}/{ENV_SECRET_KEY}"
    if sid is None or key is None:
        present, absent = (
            (ENV_SECRET_ID, ENV_SECRET_KEY) if key is None else (ENV_SECRET_KEY, ENV_SECRET_ID)
        )
        raise ConfigError(
            f"{present} is set but {absent} is not; set both or neither",
            zh=f"设置了 {present} 但没有设置 {absent}：请两者都设置或都不设置",
        )
    return Credentials(sid, key, environ.get(ENV_TOKEN) or None, source=source)


def _is_file(path: Path) -> bool:
    """Whether a credential file is there; ConfigError when its folder cannot be looked into
    (permissions), since a file we cannot check may hold the credentials meant to be used."""
    try:
        return path.is_file()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"cannot read {path}: {reason}", zh=f"无法读取 {path}：{reason}"
        ) from None


def _from_profile_file(path: Path) -> Credentials | None:
    """The `[default]` section of `~/.tencentcloud/credentials`, if that file exists."""
    if not _is_file(path):
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as exc:
        reason = type(exc).__name__
        raise ConfigError(
            f"cannot read {path}: {reason}", zh=f"无法读取 {path}：{reason}"
        ) from None
    if not parser.has_section("default"):
        return None
    section = parser["default"]
    source = f"{path} [default]"
    return Credentials(
        _required("SecretId", section.get("secret_id"), source),
        _required("SecretKey", section.get("secret_key"), source),
        section.get("token") or None,
        source=source,
    )


def _from_tccli_file(path: Path) -> Credentials | None:
    """tccli's JSON credential file for the active profile, if it exists."""
    if not _is_file(path):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = type(exc).__name__
        raise ConfigError(
            f"cannot read {path}: {reason}", zh=f"无法读取 {path}：{reason}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a JSON object", zh=f"{path} 不是 JSON 对象")
    source = str(path)
    return Credentials(
        _required("SecretId", data.get("secretId"), source),
        _required("SecretKey", data.get("secretKey"), source),
        data.get("token") or None,
        source=source,
    )


def _places(environ: Mapping[str, str], home: Path) -> tuple[Path, Path]:
    """The two credential files for this home directory and tccli profile."""
    profile = environ.get("TCCLI_PROFILE") or "default"
    return home / ".tencentcloud" / "credentials", home / ".tccli" / f"{profile}.credential"


def _home_for(environ: Mapping[str, str], home: Path | str | None) -> Path:
    """The home directory to search: the argument, else `HOME` from `environ`, else the user's."""
    if home is not None:
        return Path(home)
    return Path(environ["HOME"]) if environ.get("HOME") else Path.home()


def find_credentials(
    secret_id: str | None = None,
    secret_key: str | None = None,
    token: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | str | None = None,
    source: str = "explicit",
) -> Credentials | None:
    """The first credentials found along the chain, or None; ConfigError for a broken place.

    The one precedence rule: explicit values (named `source`, e.g. "secrets" for the page's
    settings file) > environment > `~/.tencentcloud/credentials` > tccli's file."""
    env = os.environ if environ is None else environ
    profile_file, tccli_file = _places(env, _home_for(env, home))
    return (
        _from_explicit(secret_id, secret_key, token, source)
        or _from_environment(env)
        or _from_profile_file(profile_file)
        or _from_tccli_file(tccli_file)
    )


def resolve_credentials(
    secret_id: str | None = None,
    secret_key: str | None = None,
    token: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | str | None = None,
    source: str = "explicit",
) -> Credentials:
    """Like `find_credentials`, but a ConfigError listing every place searched when none is found."""
    found = find_credentials(
        secret_id, secret_key, token, environ=environ, home=home, source=source
    )
    if found is not None:
        return found
    env = os.environ if environ is None else environ
    profile_file, tccli_file = _places(env, _home_for(env, home))
    raise ConfigError(
        "no Tencent Cloud credentials found; searched: explicit SecretId/SecretKey, "
        f"environment variables {ENV_SECRET_ID}/{ENV_SECRET_KEY}, "
        f"{profile_file} [default], {tccli_file}",
        zh="未找到腾讯云密钥；已查找：显式 SecretId/SecretKey、"
        f"环境变量 {ENV_SECRET_ID}/{ENV_SECRET_KEY}、"
        f"{profile_file} [default]、{tccli_file}",
    )

"""Tell what some bytes are from their first bytes (magic numbers), never from a file name."""

from __future__ import annotations

from dataclasses import dataclass

from core.text import Message
from media.errors import media_error
from media.models import Kind

__all__ = ["Sniffed", "sniff"]

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_M4V_BRANDS = {b"M4V ", b"M4VH", b"M4VP"}
_AUDIO_MAGIC = (
    (b"ID3", "an MP3 audio file", "MP3 音频文件"),
    (b"OggS", "an Ogg file", "Ogg 文件"),
    (b"fLaC", "a FLAC audio file", "FLAC 音频文件"),
    (b"\xff\xfb", "an MP3 audio file", "MP3 音频文件"),
    (b"\xff\xf3", "an MP3 audio file", "MP3 音频文件"),
)


@dataclass(frozen=True)
class Sniffed:
    """The kind ("image"/"video") and format name the content shows."""

    kind: Kind
    format: str


def sniff(data: bytes) -> Sniffed:
    """Classify `data` by content; MediaError naming what it is when it is no photo or video."""
    if not data:
        raise media_error("empty")
    head = data[:64]
    found = _sniff_image(head) or _sniff_video(head)
    if found:
        return found
    raise media_error("unsupported", what=Message("what", *_describe_other(data)))


# Image formats Pillow (and pillow-heif) decode.
def _sniff_image(head: bytes) -> Sniffed | None:
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "webp")
    if head[:2] == b"BM" and len(head) >= 26:
        return Sniffed("image", "bmp")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Sniffed("image", "tiff")
    if head[4:8] == b"ftyp":
        brands = _ftyp_brands(head)
        if brands & _AVIF_BRANDS:
            return Sniffed("image", "avif")
        if brands & _HEIF_BRANDS:
            return Sniffed("image", "heic" if b"heic" in brands or b"heix" in brands else "heif")
    return None


# Video containers PyAV demuxes.
def _sniff_video(head: bytes) -> Sniffed | None:
    if head[4:8] == b"ftyp":
        major = head[8:12]
        if major == b"qt  ":
            return Sniffed("video", "mov")
        if major in _M4V_BRANDS:
            return Sniffed("video", "m4v")
        return Sniffed("video", "mp4")
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return Sniffed("video", "mov")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Sniffed("video", "avi")
    if head[:3] == b"FLV":
        return Sniffed("video", "flv")
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return Sniffed("video", "webm" if b"webm" in head else "mkv")
    return None


# The major and compatible brands of an ISO-BMFF `ftyp` box at the start.
def _ftyp_brands(head: bytes) -> set[bytes]:
    size = int.from_bytes(head[:4], "big")
    end = min(max(size, 16), len(head))
    brands = {head[8:12]}
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    return brands


# A short name (English, Chinese) for content that is no photo or video, for the refusal.
def _describe_other(data: bytes) -> tuple[str, str]:
    head = data[:1024]
    if head.startswith(b"%PDF"):
        return "a PDF document", "PDF 文档"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<svg") or (lowered.startswith(b"<?xml") and b"<svg" in lowered):
        return "an SVG drawing; export it as PNG", "SVG 矢量图，请先导出为 PNG"
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "an HTML page", "HTML 网页"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive or office document", "ZIP 压缩包或 Office 文档"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "a WAV audio file", "WAV 音频文件"
    for magic, name, name_zh in _AUDIO_MAGIC:
        if head.startswith(magic):
            return name, name_zh
    if b"\x00" not in head and _is_utf8_text(head):
        return "a text file", "文本文件"
    return "unknown content", "无法识别的内容"


# Whether `head` reads as UTF-8 text (a character cut at the very end is allowed).
def _is_utf8_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True

"""ID-card and mobile numbers never written anywhere: masking, and the hooks that apply it to
every log record and to everything the process prints (Gradio prints tracebacks that quote a
request's inputs, uvicorn and Gradio log through their own handlers)."""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
import unicodedata

# People type numbers in groups ("138-1234-5678", "138.1234.5678", "110105 19900101 123X",
# "1101-0519-9001-0112-34", full-width spaces and dashes) or digit by digit ("1 3 8 …"); \d
# matches full-width digits. Separators are accepted only where such groups end, so that
# build names and timestamps ("20261126-142240-10886") are not taken for numbers.
_SEP_CHARS = r"\s.\-－—–．·・"
_SEP = rf"[{_SEP_CHARS}]{{0,2}}"
_X = "XxＸｘ"


def _number(count: int, cuts: set[int], last: str = r"\d") -> str:
    """`count` digits, with separators allowed after the digits in `cuts`, or between every
    digit (one separator, the same throughout)."""
    grouped = "".join((_SEP if i in cuts else "") + (last if i == count - 1 else r"\d")
                      for i in range(count))
    spaced = rf"\d(?P<s{count}>[{_SEP_CHARS}])" + rf"(?P=s{count})".join(
        [r"\d"] * (count - 2) + [last])
    return f"(?:{grouped}|{spaced})"


_CHECK_DIGIT = rf"[\d{_X}]"
_ID_18 = re.compile(rf"(?<!\d){_number(18, {4, 6, 8, 10, 12, 14, 16}, _CHECK_DIGIT)}"
                    rf"(?!{_CHECK_DIGIT})")
_ID_15 = re.compile(rf"(?<!\d){_number(15, {6, 12})}(?!{_CHECK_DIGIT})")  # issued until 2004
_MOBILE = re.compile(rf"(?<![\d+＋])(?:[+＋]?[8８][6６]{_SEP})?{_number(11, {3, 7})}(?!\d)")


def _kept(match: re.Match, count: int) -> list[str]:
    """The last `count` digits of a match (a +86 prefix is dropped), as typed."""
    return [c for c in match[0] if c.isdigit() or c in _X][-count:]


def _id(match: re.Match) -> str:
    digits = _kept(match, 18 if match.re is _ID_18 else 15)
    return "".join(digits[:3]) + "*" * (len(digits) - 5) + "".join(digits[-2:])


def _mobile(match: re.Match) -> str:
    digits = _kept(match, 11)
    if unicodedata.digit(digits[0]) != 1 or unicodedata.digit(digits[1]) < 3:
        return match[0]  # 12812345678 is a figure, not a mobile number
    return "".join(digits[:3]) + "****" + "".join(digits[-4:])


def mask(text: str) -> str:
    """110105199001011234 -> 110*************34, 13812345678 -> 138****5678."""
    if not any(c.isdigit() for c in text):  # the common case, cheaply
        return text
    text = _ID_18.sub(_id, text)
    text = _MOBILE.sub(_mobile, text)  # before 15-digit IDs: "13812345678 2024" is a mobile
    return _ID_15.sub(_id, text)


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message, arguments and traceback masked (arguments merged in)."""
    try:
        message = record.getMessage()
    except Exception:  # bad %-arguments: keep the template, never the arguments
        message = str(record.msg)
    record.msg, record.args = mask(message), ()
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    if record.exc_info:
        record.exc_text = mask("".join(traceback.format_exception(*record.exc_info)).rstrip())
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = mask(record.exc_text)
    return record


class MaskFilter(logging.Filter):
    """ID-card and phone numbers never reach a log, tracebacks included."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


class MaskedStream:
    """A text stream that masks each line before passing it on (whole lines, so a number
    printed in pieces, as `print(a, b)` does, is still seen whole)."""

    LONGEST = 1 << 16  # characters held back waiting for a newline; a longer line goes out

    def __init__(self, stream) -> None:
        self._stream = stream
        self._pending = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            if "\n" in self._pending:
                done, _, self._pending = self._pending.rpartition("\n")
                self._stream.write(mask(done + "\n"))
            elif len(self._pending) > self.LONGEST:
                self._stream.write(mask(self._pending))
                self._pending = ""
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._stream.write(mask(self._pending))
                self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


_installed = threading.Lock()


def mask_everything() -> None:
    """Mask every log record made in this process from now on, whichever logger and handler
    (Gradio's, uvicorn's, a file a deployer adds), and everything printed to stdout and stderr.
    Call before the server starts, so that uvicorn's handlers write to the masked streams."""
    with _installed:
        make_record = logging.getLogRecordFactory()
        if getattr(make_record, "masks", False):
            return

        def masked_record(*args, **kwargs) -> logging.LogRecord:
            return mask_record(make_record(*args, **kwargs))

        masked_record.masks = True
        logging.setLogRecordFactory(masked_record)
        sys.stdout = MaskedStream(sys.stdout)
        sys.stderr = MaskedStream(sys.stderr)

"""Hostile input and hostile environments (issue 11): nothing hangs, nothing explodes, nothing is lost.

Every case that could hang or exhaust memory on a regression runs claimcheck in a child
process with a timeout and an address-space limit, so a regression fails instead of hanging CI.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import assert_one_error_line, write

from claimcheck.engine import lint_paths

CLAIM = "Our tea cures anxiety.\n"
MEMORY_LIMIT = 3 * 1024**3  # spaCy and its pipeline fit well inside; a zip bomb or /dev/zero does not


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(
    *args: str | os.PathLike[str], cwd: Path, input: bytes | None = None, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """`claimcheck ARGS` in a child process with a time and memory bound; a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        check=False,
    )


def errors_of(completed: subprocess.CompletedProcess) -> list[str]:
    return [line for line in completed.stderr.decode().splitlines() if line.startswith("claimcheck: error:")]


# --- 1. -o/--output never replaces special files --------------------------------------------------


def test_output_to_a_fifo_writes_into_it(workdir):
    write(workdir / "page.txt", CLAIM)
    fifo = workdir / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    completed = run_bounded("check", "--no-cache", "-o", fifo, "page.txt", cwd=workdir, timeout=60)
    reader.join(timeout=10)
    if reader.is_alive():  # the report went elsewhere: unblock the reader before failing
        with open(fifo, "wb"):
            pass
    assert completed.returncode == 1, completed.stderr
    assert fifo.is_fifo()
    assert received and b"core/" in received[0]


def test_output_to_dev_stdout_writes_to_stdout(workdir):
    write(workdir / "page.txt", CLAIM)
    completed = run_bounded("check", "--no-cache", "-o", "/dev/stdout", "page.txt", cwd=workdir, timeout=60)
    assert completed.returncode == 1, completed.stderr
    assert b"core/" in completed.stdout


# --- 3. .docx zip bombs ----------------------------------------------------------------------------


def test_docx_zip_bomb_is_refused_before_inflating(workdir):
    bomb = workdir / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            chunk = b" " * (1 << 20)
            for _ in range(400):  # 400 MiB inflated, 400 KB on disk
                part.write(chunk)
    write(workdir / "page.txt", CLAIM)
    completed = run_bounded("check", "--no-cache", "bomb.docx", "page.txt", cwd=workdir, timeout=60)
    assert completed.returncode == 2, completed.stderr
    (error,) = errors_of(completed)
    assert "bomb.docx" in error and "limit" in error and "not a valid" not in error
    assert b"page.txt" in completed.stdout  # the other file is still linted


def test_memory_error_is_not_called_an_invalid_docx(tmp_path, monkeypatch):
    import docx

    from claimcheck.errors import InputError
    from claimcheck.readers.docx import read_docx

    page = tmp_path / "page.docx"
    docx.Document().save(page)

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(docx, "Document", exhausted)
    with pytest.raises(InputError, match="too large to read in memory"):
        read_docx(page)


# --- 4. only regular files, never more than the limit ---------------------------------------------


@pytest.fixture
def fifo(workdir: Path) -> Path:
    path = workdir / "pipe.md"
    os.mkfifo(path)
    return path


def test_fifo_named_is_refused_and_others_linted(workdir, fifo):
    write(workdir / "page.txt", CLAIM)
    completed = run_bounded("check", "--no-cache", fifo.name, "page.txt", cwd=workdir, timeout=60)
    assert completed.returncode == 2, completed.stderr
    assert errors_of(completed) == ["claimcheck: error: pipe.md: not a regular file, not linted"]
    assert b"page.txt" in completed.stdout


def test_fifo_found_in_a_walk_is_refused(workdir, fifo):
    write(workdir / "page.txt", CLAIM)
    completed = run_bounded("check", "--no-cache", ".", cwd=workdir, timeout=60)
    assert completed.returncode == 2, completed.stderr
    assert len(errors_of(completed)) == 1 and "not a regular file" in errors_of(completed)[0]


@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_fifo_as_config_or_baseline_is_refused(workdir, fifo, option):
    write(workdir / "page.txt", CLAIM)
    completed = run_bounded("check", "--no-cache", option, fifo.name, "page.txt", cwd=workdir, timeout=60)
    assert completed.returncode == 2, completed.stderr
    assert "not a regular file" in completed.stderr.decode()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_symlink_to_an_endless_device_is_refused(workdir, device):
    (workdir / "copy.md").symlink_to(device)
    write(workdir / "page.txt", CLAIM)
    completed = run_bounded("check", "--no-cache", ".", cwd=workdir, timeout=60)
    assert completed.returncode == 2, completed.stderr
    assert errors_of(completed) == ["claimcheck: error: copy.md: not a regular file, not linted"]


def test_stdin_over_the_size_limit_is_refused(workdir):
    from claimcheck.sources import MAX_BYTES

    completed = run_bounded("check", "-", cwd=workdir, input=b"a" * (MAX_BYTES + 10), timeout=60)
    assert completed.returncode == 2, completed.stderr
    (error,) = errors_of(completed)
    assert "<stdin>" in error and "limit" in error


def test_a_file_growing_past_the_limit_is_read_no_further(tmp_path):
    from claimcheck.errors import InputError
    from claimcheck.sources import read_bytes

    page = tmp_path / "page.txt"
    page.write_bytes(b"x" * 100)
    with pytest.raises(InputError, match="limit"):
        read_bytes(page, limit=10)


# --- 10. unreadable directories are reported ------------------------------------------------------


def test_unreadable_directory_is_an_error(workdir, monkeypatch):
    write(workdir / "page.txt", CLAIM)
    write(workdir / "private" / "secret.md", CLAIM)
    real_scandir = os.scandir

    def scandir(path="."):  # root reads every directory: refuse this one as a normal user would be refused
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = lint_paths([Path(".")])
    assert result.paths == ["page.txt"]
    assert result.errors == [f"{os.path.join('.', 'private')}: cannot read the directory (Permission denied)"]


# --- 11. smaller ones ------------------------------------------------------------------------------


def test_self_linking_symlink_is_one_error(cli, workdir):
    (workdir / "loop.md").symlink_to("loop.md")
    write(workdir / "page.txt", CLAIM)
    result = cli("check", "--no-cache", "--format", "json", ".")
    assert result.exit_code == 2, result.stderr
    assert "loop.md: symbolic link loop" in result.stderr
    assert json.loads(result.stdout)["summary"]["files"] == 1


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_with_a_byte_order_mark_is_decoded(encoding):
    import codecs

    from claimcheck.sources import decode

    bom = {"utf-32": b"", "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[encoding]
    assert decode(bom + "Tea cures ∞.".encode(encoding), "page.txt") == "Tea cures ∞."


def test_pyproject_tool_that_is_not_a_table_is_no_config(cli, workdir):
    write(workdir / "pyproject.toml", "tool = 5\n")
    write(workdir / "page.txt", CLAIM)
    result = cli("check", "--no-cache", "page.txt")
    assert result.exit_code == 1, result.stderr
    write(workdir / "sub" / "pyproject.toml", "[tool]\nclaimcheck = 5\n")
    write(workdir / "sub" / "page.txt", CLAIM)
    assert "must be a mapping" in assert_one_error_line(cli("check", "--no-cache", "sub/page.txt"))


# --- 5. signals: workers never outlive the run; Ctrl-C is 130 ---------------------------------------


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child, *_descendants(child)}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _start_parallel_run(workdir: Path) -> tuple[subprocess.Popen, set[int]]:
    """A --jobs 2 run over enough text to start workers; returns once both workers are up."""
    paragraph = "Our tea cures anxiety and may help you sleep. " * 40 + "\n\n"
    for index in range(8):
        write(workdir / f"page{index}.txt", paragraph * 60)
    process = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", "check", "--no-cache", "--jobs", "2", "."],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
    )
    workers: set[int] = set()

    def started() -> bool:
        workers.update(_descendants(process.pid))
        return len(workers) >= 3 or process.poll() is not None  # two workers and the resource tracker

    assert _wait_until(started, 60), "workers never started"
    time.sleep(1)
    workers.update(_descendants(process.pid))
    return process, workers


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_sigterm_stops_the_run_and_its_workers(workdir):
    process, workers = _start_parallel_run(workdir)
    try:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 143
        assert _wait_until(lambda: not any(map(_alive, workers)), 15), [w for w in workers if _alive(w)]
    finally:
        for pid in [process.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_workers_exit_when_the_parent_is_killed(workdir):
    process, workers = _start_parallel_run(workdir)
    try:
        process.kill()
        process.wait(timeout=10)
        assert _wait_until(lambda: not any(map(_alive, workers)), 15), [w for w in workers if _alive(w)]
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_ctrl_c_exits_130(workdir):
    write(workdir / "page.txt", "Our tea cures anxiety and may help you sleep. " * 20000)
    process = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", "check", "--no-cache", "page.txt"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
    )
    try:
        time.sleep(2)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()

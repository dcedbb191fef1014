"""Debian's rclone as the R2 guide configures it (provider Other, path style, region auto), for the
suites that drive it: where it is, a remote's configuration, a clean environment, and one run."""
import os
import shutil
import subprocess

RCLONE = shutil.which("rclone") or "/usr/bin/rclone"
TIMEOUT = 120


def remote(access_key, secret_key, endpoint):
    """The lines of an S3 remote on `endpoint` (to follow a "[name]" line)."""
    return ("type = s3\n"
            "provider = Other\n"
            "env_auth = false\n"
            "access_key_id = %s\n"
            "secret_access_key = %s\n"
            "endpoint = %s\n"
            "region = auto\n"
            "force_path_style = true\n" % (access_key, secret_key, endpoint))


def environment(home):
    """The environment without AWS_* and RCLONE_* (AWS_CA_BUNDLE, which rclone's S3 backend
    refuses when it names a bundle it cannot use, among them), with `home` as HOME."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and not k.startswith("RCLONE_")}
    env["HOME"] = home
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return env


def run(config, env, args, insecure=False):
    """Runs rclone once with few retries and bounded time; returns the CompletedProcess."""
    cmd = [RCLONE, "--config", config, "--retries", "1", "--low-level-retries", "1",
           "--contimeout", "10s", "--timeout", "60s"]
    if insecure:
        cmd.append("--no-check-certificate")
    return subprocess.run(cmd + list(args), env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)

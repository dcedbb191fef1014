"""What a new user sees first: `cairn --version` and `cairn version`, the build named by
/_cairn/health on both listeners, and the serve banner's AWS CLI and boto3 lines, pasted as
printed, reaching the server (with the key cairn made itself, and with a key from the
environment, whose secret the banner names instead of printing)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.request

import cairn_server

VERSION_LINE = re.compile(r"^cairn (\d+\.\d+\.\d+) \(commit ([0-9a-z.-]+)\)$")


def tearDownModule():
    cairn_server.shutdown()


def version_line(*args):
    out = subprocess.run([cairn_server.binary_path(), *args], capture_output=True, text=True,
                         timeout=30, check=True).stdout.strip()
    match = VERSION_LINE.match(out)
    if not match:
        raise AssertionError("not a version line: %r" % out)
    return match.group(1), match.group(2)


def health(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/_cairn/health" % port, timeout=10) as resp:
        return resp.status, resp.headers.get("Content-Type"), json.loads(resp.read())


def banner_line(server, label):
    with open(server.log_path) as log:
        for line in log:
            if line.startswith(label):
                return line[len(label):].strip()
    raise AssertionError("no %r line in the banner:\n%s" % (label, server.log_tail()))


class FirstStartTest(unittest.TestCase):
    def serve(self, **kwargs):
        self.console_port = cairn_server.free_port()
        server = cairn_server.CairnServer(
            name="first-start", extra_args=["--console-listen", "127.0.0.1:%d" % self.console_port],
            **kwargs)
        self.addCleanup(server.cleanup)
        return server.start()

    def test_version_flag_and_command_name_the_release_and_commit(self):
        self.assertEqual(version_line("--version"), version_line("version"))

    def test_health_names_the_same_build_on_both_listeners(self):
        version, commit = version_line("version")
        server = self.serve()
        for port in (server.port, self.console_port):  # the S3 API and the console
            status, content_type, body = health(port)
            self.assertEqual(status, 200)
            self.assertEqual(content_type, "application/json")
            self.assertEqual(body, {"status": "ok", "version": version, "commit": commit})
        with open(server.log_path) as log:
            self.assertEqual(log.readline().strip(), "cairn %s (commit %s)" % (version, commit))

    def check_pasted_lines(self, server, env):
        bucket = "first-start-bucket"
        cairn_server.client(server.target()).create_bucket(Bucket=bucket)
        aws = subprocess.run(["bash", "-c", banner_line(server, "AWS CLI:")], env=env,
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(aws.returncode, 0, aws.stderr)
        self.assertIn(bucket, aws.stdout)
        script = ("import boto3, os\ns3 = %s\nprint([b['Name'] for b in s3.list_buckets()['Buckets']])"
                  % banner_line(server, "boto3:"))
        python = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(python.returncode, 0, python.stderr)
        self.assertIn(bucket, python.stdout)

    def clean_env(self):
        # Debian's AWS CLI, and nothing from this machine's AWS configuration.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CAIRN_"))}
        env.update({"PATH": "/usr/bin:/bin", "HOME": self.enterContext(tempfile.TemporaryDirectory()),
                    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": ""})
        return env

    def test_banner_lines_work_with_the_key_cairn_made(self):
        server = self.serve(env_credentials=False)
        with open(os.path.join(server.data_dir, "admin-credentials.json")) as f:
            made = json.load(f)
        server.access_key, server.secret_key = made["access_key_id"], made["secret_access_key"]
        self.assertIn(made["secret_access_key"], banner_line(server, "boto3:"))
        self.check_pasted_lines(server, self.clean_env())

    def test_banner_lines_name_a_secret_from_the_environment_without_printing_it(self):
        server = self.serve()
        with open(server.log_path) as log:
            self.assertNotIn(server.secret_key, log.read())
        env = self.clean_env()
        env["CAIRN_SECRET_ACCESS_KEY"] = server.secret_key
        self.check_pasted_lines(server, env)


if __name__ == "__main__":
    unittest.main()

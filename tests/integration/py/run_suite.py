"""Runs test modules with unittest and ends with a line run.sh reads:

    SUITE-RESULT passed=N failed=N skipped=N

usage: python3 run_suite.py [--binary B] [--endpoint URL] test_module [test_module ...]
"""
import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _test_id(test):
    # a subtest reports through its parent test case
    return getattr(test, "test_case", test).id()


class CountingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_ids = set()
        self.failed_ids = set()
        self.skipped_ids = set()

    def startTest(self, test):
        self.started_ids.add(_test_id(test))
        super().startTest(test)

    def addFailure(self, test, err):
        self.failed_ids.add(_test_id(test))
        super().addFailure(test, err)

    def addError(self, test, err):
        self.failed_ids.add(_test_id(test))  # also class/module fixtures (_ErrorHolder)
        super().addError(test, err)

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self.failed_ids.add(_test_id(test))
        super().addSubTest(test, subtest, err)

    def addSkip(self, test, reason):
        self.skipped_ids.add(_test_id(test))
        super().addSkip(test, reason)

    def addUnexpectedSuccess(self, test):
        self.failed_ids.add(_test_id(test))
        super().addUnexpectedSuccess(test)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary")
    p.add_argument("--endpoint")
    p.add_argument("modules", nargs="+")
    opts = p.parse_args()
    if opts.binary:
        os.environ["CAIRN_BINARY"] = os.path.abspath(opts.binary)
    if opts.endpoint:
        os.environ["CAIRN_TEST_ENDPOINT"] = opts.endpoint

    import boto3
    import botocore
    print("python %s, boto3 %s, botocore %s" % (sys.version.split()[0], boto3.__version__,
                                                botocore.__version__), flush=True)
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    load_errors = 0
    for name in opts.modules:
        name = name[:-3] if name.endswith(".py") else name
        try:
            suite.addTests(loader.loadTestsFromName(name))
        except Exception as e:  # a module that does not import is one failure
            print("could not load %s: %r" % (name, e), flush=True)
            load_errors += 1
    start = time.monotonic()
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2,
                                     resultclass=CountingResult).run(suite)
    # Counted per test method: a test with three failing subtests is one failure; a failing
    # setUpClass/setUpModule (no test ran) counts as one failure of its own.
    failed = len(result.failed_ids) + load_errors
    skipped = len(result.skipped_ids - result.failed_ids)
    passed = len(result.started_ids - result.failed_ids - result.skipped_ids)
    print("suite time %.1fs" % (time.monotonic() - start))
    print("SUITE-RESULT passed=%d failed=%d skipped=%d" % (passed, failed, skipped), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

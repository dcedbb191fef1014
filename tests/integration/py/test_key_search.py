"""The key search of the admin API (docs/access-keys.md, "Searching keys"): GET
/_cairn/admin/buckets/BUCKET/search?q=TEXT finds the keys of a bucket that contain TEXT, a page at
a time with a cursor, under an optional prefix. Checked on a bucket of 3,000 keys: "0242" finds
exactly the keys holding it, paging returns every match once, '%' and '_' are plain characters, a
prefix-scoped key searches only inside its prefix, and bad calls get S3 errors (400, 403, 404)."""
import base64
import json
import secrets

import admin_api
import cairn_server
from admin_api import AccessTestCase, AdminApi

ITEMS = ["item-%04d" % i for i in range(3000)]
TEAM_KEYS = ["team-a/notes.txt", "team-a/report-0242.txt", "team-b/report-0242.txt"]
ODD_KEYS = ["odds/100%.txt", "odds/100x.txt", "odds/a_b.txt", "odds/axb.txt"]
ALL_KEYS = sorted(ITEMS + TEAM_KEYS + ODD_KEYS)


def tearDownModule():
    cairn_server.shutdown()


class KeySearchTests(AccessTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket, cls.etags = cls.filled_bucket("search", ALL_KEYS)

    @classmethod
    def tearDownClass(cls):
        cls.drop_filled_bucket(cls.bucket, ALL_KEYS)
        super().tearDownClass()

    def search(self, api=None, bucket=None, **params):
        """The raw answer of one search call; params are its query parameters."""
        api = api or self.admin
        return api.request("GET", "buckets/%s/search" % (bucket or self.bucket),
                           query=sorted(params.items()))

    def page(self, api=None, **params):
        r = self.search(api, **params)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        return json.loads(r.body)

    def all_matches(self, api=None, **params):
        """Every match, following the cursors; each page is checked against the limit."""
        keys = []
        cursor = None
        for _ in range(len(ALL_KEYS)):
            if cursor:
                params["cursor"] = cursor
            answer = self.page(api, **params)
            self.assertLessEqual(len(answer["matches"]), int(params.get("limit", 100)))
            keys += [m["key"] for m in answer["matches"]]
            cursor = answer["cursor"]
            if cursor is None:
                return keys
        self.fail("the cursors never ended")

    def test_finds_exactly_the_keys_containing_the_text(self):
        answer = self.page(q="0242")
        self.assertEqual([m["key"] for m in answer["matches"]],
                         ["item-0242", "team-a/report-0242.txt", "team-b/report-0242.txt"])
        self.assertIsNone(answer["cursor"])
        self.assertEqual(answer["scanned"], len(ALL_KEYS))
        first = answer["matches"][0]
        self.assertEqual(first["size"], len(b"item-0242"))
        self.assertEqual(first["etag"], self.etags["item-0242"])
        self.assertEqual(first["storageClass"], "STANDARD")
        admin_api.parse_time(first["lastModified"])

    def test_no_match_is_an_empty_page(self):
        answer = self.page(q="nothing-like-this")
        self.assertEqual(answer, {"matches": [], "cursor": None, "scanned": len(ALL_KEYS)})

    def test_paging_by_cursor_returns_every_match_once(self):
        expected = [k for k in ALL_KEYS if "024" in k]
        self.assertEqual(len(expected), 15)
        for limit in (1, 4, 15, 1000):
            with self.subTest(limit=limit):
                self.assertEqual(self.all_matches(q="024", limit=str(limit)), expected)
        first = self.page(q="024", limit="4")
        self.assertEqual(base64.b64decode(first["cursor"]).decode(), expected[3])

    def test_prefix_bounds_the_search(self):
        answer = self.page(q="0242", prefix="team-a/")
        self.assertEqual([m["key"] for m in answer["matches"]], ["team-a/report-0242.txt"])
        self.assertEqual(answer["scanned"], 2)  # only the prefix's keys are read
        self.assertEqual(self.all_matches(q="item", prefix="item-29"),
                         ["item-%04d" % i for i in range(2900, 3000)])

    def test_percent_and_underscore_are_plain_characters(self):
        self.assertEqual(self.all_matches(q="%"), ["odds/100%.txt"])
        self.assertEqual(self.all_matches(q="_"), ["odds/a_b.txt"])
        self.assertEqual(self.all_matches(q="a_b"), ["odds/a_b.txt"])
        self.assertEqual(self.all_matches(q="100%"), ["odds/100%.txt"])

    def test_case_matters_unless_ignored(self):
        self.assertEqual(self.all_matches(q="ITEM-0242"), [])
        self.assertEqual(self.all_matches(q="ITEM-0242", ignoreCase="true"), ["item-0242"])

    def test_bad_calls_are_400_invalid_argument(self):
        for params in ({}, {"q": ""}, {"q": "a", "limit": "0"}, {"q": "a", "limit": "1001"},
                       {"q": "a", "limit": "ten"}, {"q": "a", "cursor": "%%%"},
                       {"q": "a", "ignoreCase": "maybe"}):
            with self.subTest(params=params):
                self.assertS3Error(self.search(**params), 400, "InvalidArgument")

    def test_missing_bucket_is_404(self):
        r = self.search(bucket="no-such-bucket-%s" % secrets.token_hex(4), q="a")
        self.assertS3Error(r, 404, "NoSuchBucket")

    def test_only_get(self):
        r = self.admin.request("POST", "buckets/%s/search" % self.bucket, query=[("q", "a")])
        self.assertS3Error(r, 405, "MethodNotAllowed")

    def test_read_only_object_key_may_search(self):
        reader = AdminApi(self.t, self.admin.create_key("object-ro", buckets=[self.bucket]))
        self.addCleanup(self.admin.revoke, reader.creds.access_key)
        self.assertEqual(self.all_matches(reader, q="0242")[0], "item-0242")

    def test_key_of_another_bucket_is_403(self):
        other = AdminApi(self.t, self.admin.create_key("object-rw", buckets=["elsewhere"]))
        self.addCleanup(self.admin.revoke, other.creds.access_key)
        self.assertS3Error(self.search(other, q="0242"), 403, "AccessDenied")

    def test_prefix_scoped_key_searches_inside_its_prefix_only(self):
        scoped = AdminApi(self.t, self.admin.create_key("object-ro", buckets=[self.bucket],
                                                        prefixes=["team-a/"]))
        self.addCleanup(self.admin.revoke, scoped.creds.access_key)
        self.assertEqual(self.all_matches(scoped, q="0242", prefix="team-a/"),
                         ["team-a/report-0242.txt"])
        for prefix in (None, "", "team-", "team-b/", "item-"):
            with self.subTest(prefix=prefix):
                params = {"q": "0242"}
                if prefix is not None:
                    params["prefix"] = prefix
                self.assertS3Error(self.search(scoped, **params), 403, "AccessDenied")
        # A cursor past its prefix shows nothing outside it either.
        cursor = base64.b64encode(b"team-a/zzz").decode()
        answer = self.page(scoped, q="0242", prefix="team-a/", cursor=cursor)
        self.assertEqual(answer["matches"], [])
        cursor = base64.b64encode(b"item-0000").decode()
        answer = self.page(scoped, q="0242", prefix="team-a/", cursor=cursor)
        self.assertEqual([m["key"] for m in answer["matches"]], ["team-a/report-0242.txt"])


if __name__ == "__main__":
    cairn_server.main()

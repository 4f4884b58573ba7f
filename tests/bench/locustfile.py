"""The load test of `make bench` (``test_bench_load.py`` starts it): one page per run.

Locust runs headless with ``BENCH_PATH`` (the page) and ``BENCH_SESSION`` (a signed-in
session cookie of the role that reads it), so every simulated client requests the same page
as one person, as fast as the server answers: the figure is the server's throughput.
"""

import os

from locust import FastHttpUser, constant, task


class PageReader(FastHttpUser):
    wait_time = constant(0)

    headers = {"Cookie": f"sessionid={os.environ.get('BENCH_SESSION', '')}"}

    @task
    def read(self):
        with self.client.get(
            os.environ["BENCH_PATH"], headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

"""The shared cache on Redis keeps one client a pool, and works as Django's does.

It runs on Redis database 13, which nothing else on the machine uses.
"""

import threading

from vanguard.core.cache import RedisCache


def make_cache():
    return RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": "test-cache"})


def test_reads_and_writes_go_through_one_client_a_pool():
    cache = make_cache()
    cache.clear()
    cache.set("count", 1, 30)
    assert cache.incr("count") == 2
    assert cache.get_or_set("name", lambda: "黄岛", 30) == "黄岛"
    assert cache.get_many(["count", "name", "none"]) == {"count": 2, "name": "黄岛"}
    cache.delete_many(["count", "name"])
    assert cache.get("count") is None
    clients = cache._cache
    assert clients.get_client("a") is clients.get_client("b", write=True)


def test_threads_share_the_client_without_mixing_their_answers():
    cache = make_cache()
    wrong = []

    def work(n):
        for i in range(50):
            cache.set("thread-{}".format(n), (n, i), 30)
            if cache.get("thread-{}".format(n)) != (n, i):
                wrong.append((n, i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    cache.clear()

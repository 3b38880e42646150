"""The shared cache on Redis, with one client per connection pool.

Django's Redis backend makes a new ``redis.Redis`` for every call, and each builds its
table of response callbacks: about two fifths of the CPU of a cache read, and every
request reads the cache for its session and the navigation's count. A client is safe
to share between threads (its pool hands out the connections), so each process keeps
one per pool.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

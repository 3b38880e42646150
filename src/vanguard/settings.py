"""Settings, read from environment variables (see docs/deploy.md for the full list).

With no variables set beyond SECRET_KEY, Vanguard runs embedded: one SQLite file under
var/, jobs in a second SQLite file, cache in process memory. DATABASE_URL moves the
data to PostgreSQL; REDIS_URL moves the cache and jobs to Redis (QUEUE_URL puts the jobs
in a database of their own).
"""

import datetime
from pathlib import Path

import dj_database_url

from vanguard.env import env_bool, env_int, env_list, env_str, read_key_file

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("VANGUARD_VAR_DIR", str(PROJECT_DIR / "var")))
# The embedded database and job queue live here; a fresh clone has no var/ yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# No default: a production server must be given its own key. `make run` generates one
# in var/secret_key, which console commands (`.venv/bin/vanguard ...`) read when neither
# SECRET_KEY nor SECRET_KEY_FILE is set, so they sign what the server signs.
SECRET_KEY = env_str("SECRET_KEY") or read_key_file(VAR_DIR / "secret_key", "SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A deployment sets VANGUARD_PRODUCTION=1: `vanguard check --deploy` then refuses the
# embedded database, a missing AUDIT_KEY and the demo password (see docs/deploy.md).
PRODUCTION = env_bool("VANGUARD_PRODUCTION", False)
# HTTPS: all three are on in a deployment; `vanguard check --deploy` says which is missing.
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Browsers' HSTS preload list is for public domains; a district intranet host has no use
# for it, so its warning is silenced (vanguard.accounts.checks refuses what matters).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto, and take the
# client's address from X-Forwarded-For (set by that one proxy) for the login throttle.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# the login whatever happens (vanguard.accounts.middleware.SessionLimitsMiddleware).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 8)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "vanguard.accounts.axes_app.LoginThrottleConfig",  # django-axes
    "huey.contrib.djhuey",
    "django_prometheus",
    # Installed so the API docs load Swagger UI from its own static files, not a CDN.
    "ninja",
    "vanguard.core",
    "vanguard.accounts",
    "vanguard.audit",
    "vanguard.calendar",
    "vanguard.org",
    "vanguard.notices",
    "vanguard.targets",
    "vanguard.plans",
    "vanguard.projects",
    "vanguard.blockers",
    "vanguard.supervision",
    "vanguard.maps",
    "vanguard.indicators",
    "vanguard.enterprises",
    "vanguard.lists",
    "vanguard.citywork",
    "vanguard.board",
    "vanguard.exchange",
    "vanguard.demo",
]

MIDDLEWARE = [
    # First and last: request metrics (docs/deploy.md, "Health and metrics").
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Every log line of a request names it; the answer carries the id back.
    "vanguard.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may answer early, so every page carries the headers.
    "vanguard.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vanguard.core.middleware.ChineseFirstLocaleMiddleware",
    # Inside the language, outside the rest: every error under /api/ leaves as JSON.
    "vanguard.core.errors.ApiErrorsAsJsonMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vanguard.accounts.middleware.SessionLimitsMiddleware",
    "vanguard.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vanguard.core.middleware.BadInputMiddleware",
    "vanguard.core.errors.DatabaseConflictMiddleware",
    # Last, so it sees the lockout noted while the view authenticated.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "vanguard.urls"
WSGI_APPLICATION = "vanguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vanguard.org.context_processors.navigation",
                "vanguard.notices.context_processors.unread",
                "vanguard.board.work.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
# How each process holds its PostgreSQL connections (docs/deploy.md, "Many machines"):
# by default one, kept a minute between requests; DB_POOL_SIZE > 0 gives each process a
# pool of up to that many (psycopg's pool; a request waits DB_POOL_TIMEOUT seconds for
# one); DB_PGBOUNCER=1 says DATABASE_URL leads to pgbouncer in transaction mode, where a
# server-side cursor cannot outlive its transaction.
DB_POOL_SIZE = env_int("DB_POOL_SIZE", 0)
DB_POOL_TIMEOUT = env_int("DB_POOL_TIMEOUT", 10)
DB_PGBOUNCER = env_bool("DB_PGBOUNCER", False)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DB_POOL_SIZE else 60)
    }
    if DB_POOL_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_SIZE,
            "timeout": DB_POOL_TIMEOUT,
        }
    if DB_PGBOUNCER:
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # A statement a connection has sent DB_PREPARE_THRESHOLD times is prepared (its
    # parameters bound by the server), so PostgreSQL parses it once and may keep its plan:
    # the deadline's mix costs the database about half the CPU. 0 turns it off; it is off
    # behind pgbouncer, which hands a client's next transaction to another connection.
    DB_PREPARE_THRESHOLD = env_int("DB_PREPARE_THRESHOLD", 0 if DB_PGBOUNCER else 5)
    if DB_PREPARE_THRESHOLD > 0:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=DB_PREPARE_THRESHOLD
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "vanguard.sqlite3",
            "OPTIONS": {
                # Writers queue instead of failing; readers never block writers.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": VAR_DIR / "test-vanguard.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "vanguard.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Every request reads its session: from the cache the web processes share, written
    # through to the database. (With a cache of one process, another process would keep
    # a session that was logged out, so sessions then stay in the database alone.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The change log's chain is signed with AUDIT_KEY (derived from SECRET_KEY when unset);
# set it apart from SECRET_KEY in a deployment. Checkpoints of the chain's head go to a
# file outside the database and, when AUDIT_CHECKPOINT_URL is set, to a webhook.
# See docs/decisions/0004-change-log.md.
AUDIT_KEY = env_str("AUDIT_KEY", "")
# The site's address as readers reach it: documents link their figures to its pages.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
AUDIT_CHECKPOINT_FILE = Path(
    env_str("AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl"))
)
AUDIT_CHECKPOINT_URL = env_str("AUDIT_CHECKPOINT_URL", "")

# Open311 GeoReport v2 (docs/open311.md): the jurisdiction this endpoint serves, and
# whom clients contact about it.
OPEN311_JURISDICTION = env_str("OPEN311_JURISDICTION", "xihaian.qingdao.gov.cn")
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "西海岸新区攻坚行动指挥部办公室")
# Residents' signups for volunteer activities from one address (a neighbourhood's Wi-Fi,
# a carrier's shared address) per hour and per day; more are told to try again later.
VOLUNTEER_SIGNUPS_PER_HOUR = env_int("VOLUNTEER_SIGNUPS_PER_HOUR", 30)
VOLUNTEER_SIGNUPS_PER_DAY = env_int("VOLUNTEER_SIGNUPS_PER_DAY", 200)

# The citizens' photo report page (/report/, docs/citizen-reports.md): reports a network
# address and a phone (a signed device cookie) may file, every post to the page's doors
# per address, tracking-page reads per address and unknown tracking codes per address.
# Phones behind a carrier's shared address count together: raise the address limits there.
CITIZEN_REPORTS_PER_HOUR = env_int("CITIZEN_REPORTS_PER_HOUR", 5)
CITIZEN_REPORTS_PER_DAY = env_int("CITIZEN_REPORTS_PER_DAY", 10)
CITIZEN_POSTS_PER_HOUR = env_int("CITIZEN_POSTS_PER_HOUR", 30)
CITIZEN_READS_PER_MINUTE = env_int("CITIZEN_READS_PER_MINUTE", 60)
CITIZEN_MISSES_PER_HOUR = env_int("CITIZEN_MISSES_PER_HOUR", 20)

# The office's prefix of a talk notice's number: 西海岸攻坚办约〔2026〕3号.
TALK_NOTICE_PREFIX = env_str("TALK_NOTICE_PREFIX", "西海岸攻坚办约")

# A sheet with more rows than this is checked by the background worker, not the request.
VANGUARD_IMPORT_CHECK_IN_REQUEST_ROWS = env_int("IMPORT_CHECK_IN_REQUEST_ROWS", 2000)

# Background jobs: huey. Embedded it keeps its queue in a SQLite file; with REDIS_URL
# any number of worker machines share one Redis queue. See docs/decisions/0002-jobs.md.
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
# The job queue's Redis database, apart from the cache's (a cache flush must not drop
# waiting jobs): QUEUE_URL, e.g. redis://host:6379/1 beside REDIS_URL=redis://host:6379/0.
# Unset, the jobs share REDIS_URL's database, which `vanguard check --deploy` refuses.
QUEUE_URL = env_str("QUEUE_URL") or REDIS_URL
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "vanguard",
        "url": QUEUE_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "vanguard",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("WORKERS", 2), "worker_type": "thread"},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "vanguard.accounts.validators.NameAndYearValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "board:overview"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked account before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, finding the signed-in user with SQL written once a process.
    "vanguard.accounts.backends.AccountBackend",
]
# Login throttle (django-axes, see docs/security.md). LOGIN_FAILURE_LIMIT failures of one
# account from one address lock that account from that address only, so nobody can lock a
# colleague out from elsewhere; LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, on
# any accounts, stop that address alone. Both last LOGIN_LOCKOUT_MINUTES. The same counts
# serve /login/, /admin/login/ and bearer tokens refused by the API.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
# The order matters: vanguard.accounts.throttle reads the account+address count first.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "vanguard.accounts.throttle.AccountAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "vanguard.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "vanguard.accounts.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
# Shown in the security administrator's area by vanguard.accounts.admin, not by axes itself.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Masked in the failure records' copies of the form (the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# API tokens last this many days unless `vanguard token create --days N` says otherwise.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Originals of city work's photos, kept as evidence with their EXIF (time, position, phone):
# outside MEDIA_ROOT, never served by address, read only through a view that checks access.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
# The most one photo may weigh; its pictures are refused past MAX_IMAGE_PIXELS (60 million).
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024)

API_PAGE_SIZE = env_int("API_PAGE_SIZE", 100)

# The map's base tiles (docs/deploy.md). None by default: the map then draws the shipped
# boundaries and every layer as vectors and asks no other host for anything. The tiles
# must be in WGS84/CGCS2000 (天地图, or the district's own approved map server); a
# public map in China shows its approval number (审图号), MAP_APPROVAL_NUMBER.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_KEY = env_str("MAP_TILE_KEY", "")
MAP_TILE_SUBDOMAINS = env_str("MAP_TILE_SUBDOMAINS", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
MAP_LABEL_URL = env_str("MAP_LABEL_URL", "")
MAP_TILE_MAX_ZOOM = env_int("MAP_TILE_MAX_ZOOM", 18)
MAP_APPROVAL_NUMBER = env_str("MAP_APPROVAL_NUMBER", "")
# A form or JSON body beyond these is refused with 400 before any view reads it; files
# uploaded in a form do not count (their own limits are in the apps that take them).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000)
# No uploaded file anywhere may pass this: counted while the body streams in, so a huge
# file is cut off, not read whole. Views with a smaller limit (evidence: 20 MB) install
# their own handler first and say their limit.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "vanguard.exchange.files.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Logs go to standard output, every line with its request id; LOG_FORMAT=json writes one
# JSON object a line for a log collector. Queries slower than SLOW_QUERY_MS are logged
# as warnings (0 turns it off).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
SLOW_QUERY_MS = env_int("SLOW_QUERY_MS", 500)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vanguard.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "vanguard.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Health and metrics (docs/deploy.md). /health/ fails when the scheduler's heartbeat is
# older than HEALTH_HEARTBEAT_SECONDS or the data folder has less than HEALTH_MIN_FREE_MB.
# /metrics answers only "Authorization: Bearer METRICS_TOKEN"; a machine running only
# workers serves their metrics on METRICS_PORT (at METRICS_ADDRESS).
HEALTH_HEARTBEAT_SECONDS = env_int("HEALTH_HEARTBEAT_SECONDS", 180)
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 200)
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_PORT = env_int("METRICS_PORT", 0)
METRICS_ADDRESS = env_str("METRICS_ADDRESS", "127.0.0.1")
NINJA_PAGINATION_PER_PAGE = API_PAGE_SIZE

# E-mail (docs/deploy.md): notices and reminders go out through this SMTP server. Without
# EMAIL_HOST no e-mail is made: notices stay in the inbox and go to the group robots.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vanguard@localhost")
# Notices (docs/decisions/0030-notices.md). No e-mail or robot message leaves in the
# quiet hours (Beijing time, HH:MM-HH:MM, empty for none); a failed one is tried again
# after NOTICE_RETRY_SECONDS, then twice as long each time, NOTICE_MAX_ATTEMPTS times in
# all. A robot may not post to a private or local address unless its host is listed in
# NOTICE_WEBHOOK_ALLOW_HOSTS (comma-separated).
NOTICE_QUIET_HOURS = env_str("NOTICE_QUIET_HOURS", "22:00-07:00")
NOTICE_RETRY_SECONDS = env_int("NOTICE_RETRY_SECONDS", 300)
NOTICE_MAX_ATTEMPTS = env_int("NOTICE_MAX_ATTEMPTS", 8)
NOTICE_WEBHOOK_ALLOW_HOSTS = env_list("NOTICE_WEBHOOK_ALLOW_HOSTS", [])

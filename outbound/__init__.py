"""Reaching services outside the site: which addresses we may call, and one HTTP client to call them.

`addresses` holds the one rule for every outside address we store or call
(affiliate links, feed URLs, API base URLs): https, or plain http for a host
listed in OUTBOUND_HTTP_ALLOWED_HOSTS (tests and a local cluster use
127.0.0.1). `http` sends requests with our User-Agent, timeouts, a polite
gap between requests to one host, and retries with backoff where asked.
Like `richtext`, it imports nothing of ours, so evidence and products use it.
"""

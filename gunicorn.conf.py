"""gunicorn settings, read from the working directory (make serve, the systemd unit in docs/deploy.md).

The access log leaves out query strings: staff search by ID number and phone (GET /cases/?q=…), and identity
numbers must not reach logs unmasked."""

accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
timeout = 60

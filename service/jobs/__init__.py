"""The job system: submit/look up/cancel (service.py), two queues (in-process workers or
procrastinate on PostgreSQL), and the executor that runs a claimed job through the Engine."""

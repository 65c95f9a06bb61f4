"""Registrations on events: the organisers' settings, the public form, the waiting list, the emailed links.

Above publications (an event is a publication) and below the member space, which lists a person's own
registrations. The capacity is re-checked under a lock on the event's settings row whenever places are
taken (services.py); the worker sends the reminders and expires the offers (tasks.py, `casi_registrations`).
"""

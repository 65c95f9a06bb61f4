"""Support to project holders ("appui"): their advice requests, followed by the desk and by the requester's link."""

"""Campaign programmes: a campaign page (dates, presentation, partners) and the member events attached to it."""

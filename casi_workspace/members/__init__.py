"""The member space on the public site: the signed-in person's header links and their page at /casi/mon-espace/.

At the top of the domains: it gathers what the others hold about one person (their working groups, the
associations whose team they belong to, their newsletter subscription) and changes nothing itself.
"""

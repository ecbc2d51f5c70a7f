"""Announcing new updates where subscribers already look: Slack, Discord, Teams, webhooks, Mastodon, email.

``sitegen notify`` runs in the publish workflow between the build and the
deploy (:mod:`.announce`). What there is to say comes from the content model
(:mod:`.events`, :mod:`.message`); what was already said, from a record the
published site carries (:mod:`.ledger`); each channel has a module that
writes its native format and sends it (:mod:`.slack`, :mod:`.discord`,
:mod:`.teams`, :mod:`.webhook`, :mod:`.mastodon`, :mod:`.email`), through
one HTTP sender with timeouts, retries and rate-limit manners
(:mod:`.http`). Secrets come from the environment and never reach the
output (:mod:`.secrets`).
"""

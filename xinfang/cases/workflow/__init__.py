"""The statutory workflow of a petition case (design.md §3, 《信访工作条例》2022).

The package is the only writer of `Case.status` and of the case's clocks (a test scans for it):

- `codes.py`     action codes (typed constants other apps subscribe to) and the legal vocabularies;
- `table.py`     the declarative table: who may take which action from which state, what it starts, its
                 guards (refusals that depend on the case) and its documented input checks;
- `guards.py`    the guards the table names; `actors.py` who acts for the bureau, the unit, the review body;
- `deadlines.py` every statutory window (per deadline profile) and the windows set by this system;
- `engine.py`    `execute()` / `allowed_actions()`: checks, effect, one transaction, hooks;
- `effects/`     what each action changes, by stage (routing, handling, opinions);
- `rulings.py`   what the law decides at registration (art.19 ¶3, art.23 ¶2, art.36 ¶3);
- `actions.py`   one named function per action for services, jobs and tests;
- `bulk.py`      the same effects applied to unsaved cases, for benchmark-volume demo data;
- `records.py`   the workflow's own rows; `inputs.py`, `views.py`, `api.py`, `urls.py` its edges.

Nothing is imported here, so that `cases.models` can load `records` without loading the engine.
"""

"""One form engine for every multi-step flow: declarations (``spec``), the engine walking them
(``engine``), the flows by name (``registry``) and the Telegram front end (``telegram``)."""

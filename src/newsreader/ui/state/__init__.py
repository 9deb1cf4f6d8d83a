"""The reader's state without Textual: the headline tree, the cursor and the view
(fold, unread-only, search results), and what the panes say about it. The screen asks
:class:`ReaderState` for each change and draws what it reports, so every rule of
moving and marking is testable without a terminal."""

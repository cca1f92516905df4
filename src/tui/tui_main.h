/*
 * The terminal UI's entry point, all that main.c needs of src/tui: it
 * hands tui_main to the command line, which opens the store first.
 */
#ifndef RESEG_TUI_MAIN_H
#define RESEG_TUI_MAIN_H

struct store;

/*
 * Runs the UI on an opened store until the user quits.  Returns the exit
 * status (0, or 1 after a fatal signal or a failure); on failure *cause
 * says why.
 */
int	 tui_main(struct store *, char **cause);

#endif

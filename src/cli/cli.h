/* cli.h - the subcommands of the armscope command. */
#ifndef AS_CLI_H
#define AS_CLI_H

#include "armscope.h"

/* Shared by every subcommand: the --data option and the engine it loads. */
typedef struct {
    const char *data;
} cli_global;

int cmd_extract(int argc, char **argv, const cli_global *g);
int cmd_explain(int argc, char **argv, const cli_global *g);
int cmd_dict(int argc, char **argv, const cli_global *g);
int cmd_ingest(int argc, char **argv, const cli_global *g);
int cmd_transfers(int argc, char **argv, const cli_global *g);
int cmd_evidence(int argc, char **argv, const cli_global *g);
int cmd_search(int argc, char **argv, const cli_global *g);
int cmd_export(int argc, char **argv, const cli_global *g);
int cmd_serve(int argc, char **argv, const cli_global *g);
/* Loads the engine or prints why not (exit status 2 for the caller). */
as_engine *cli_load(const cli_global *g);
/* Opens an existing database for queries (cmd_store.c). With an engine,
 * and when the file is writable, merged transfers left out of date are
 * refreshed first; with e NULL it is opened read-only. Prints why not and
 * returns NULL on failure. The type is store.h's store_t. */
struct store *cli_open_store(const char *db, const as_engine *e);
/* Writes n bytes to stdout; on a closed pipe exits quietly. */
void cli_write(const char *s, size_t n);

#endif

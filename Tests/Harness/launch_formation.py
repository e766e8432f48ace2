#!/usr/bin/env python3
"""Runs a MUXI formation with the runtime's public API, on loopback.

The runtime's own module entry point fails to import in muxi-runtime 1.20260928.0, so
this does the same through the API: Formation().load(path), then start_server().

    python launch_formation.py FORMATION.afs PORT
"""
import asyncio
import sys


async def serve(path, port):
    from muxi.runtime.formation import Formation

    formation = Formation()
    await formation.load(path)
    try:
        await formation.start_server(host="127.0.0.1", port=port, block=True)
    finally:
        stopped = formation.stop()
        if asyncio.iscoroutine(stopped):
            await stopped


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: launch_formation.py FORMATION.afs PORT")
    asyncio.run(serve(sys.argv[1], int(sys.argv[2])))

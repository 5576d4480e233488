"""Drive `autoplay mcp` with the official Python MCP SDK (`pip install mcp`).

Usage: check_context.py AUTOPLAY_BINARY RECORDING SESSION PRODUCT

Prints the tool names (one a line), a `---` line, then the text `session_context` returns
for SESSION of PRODUCT in RECORDING, followed by a newline, as `autoplay sessions context`
prints it.
"""

import asyncio
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main(binary: str, recording: str, session: str, product: str) -> None:
    params = StdioServerParameters(command=binary, args=["mcp"])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as client:
            await client.initialize()
            tools = await client.list_tools()
            for tool in tools.tools:
                print(tool.name)
            print("---")
            result = await client.call_tool(
                "session_context", {"from": recording, "session": session, "product": product}
            )
            if getattr(result, "is_error", None) or getattr(result, "isError", False):
                sys.exit("session_context failed: " + " ".join(c.text for c in result.content))
            text = "".join(c.text for c in result.content if c.type == "text")
            sys.stdout.write(text + "\n" if text else "")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))

/**
 * The two HTML pages: the sandbox page (member client on the left, the agent desktop in a frame on
 * the right) and the agent desktop (the Flex host page with the sandbox's agent bar above it).
 */
export function memberPage(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Flexcord sandbox</title>
    <link rel="stylesheet" href="/assets/member.css" />
  </head>
  <body>
    <div id="sandbox"></div>
    <script src="/assets/member.js"></script>
  </body>
</html>
`;
}

/** The Flex host page, plus the agent bar (pick an agent, accept, end chat) and its script. */
export function agentPage(hostPage: string): string {
  return hostPage
    .replace('</head>', '  <link rel="stylesheet" href="/assets/agent.css" />\n  </head>')
    .replace('<div id="flex-host"></div>', '<div id="agent-bar"></div>\n    <div id="flex-host"></div>')
    .replace('</body>', '  <script src="/assets/agent.js"></script>\n  </body>');
}

// What the terminal allows: its width (when stdout is one; 80 columns when piped, unless --width) and
// whether to colour (a terminal, never with NO_COLOR, always with FORCE_COLOR).
export interface Terminal {
  width: number;
  color: boolean;
}

export function terminal(out: { isTTY?: boolean; columns?: number }, width?: number, env: NodeJS.ProcessEnv = process.env): Terminal {
  const tty = out.isTTY === true;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return {
    width: width ?? (tty && out.columns ? out.columns : 80),
    color: noColor ? false : force || tty,
  };
}

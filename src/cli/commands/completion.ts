import { readFileSync } from 'node:fs';
import { Argument, Option, type Command } from 'commander';
import { InvalidArgumentError } from '../../api/errors.js';
import type { CommandContext } from '../context.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

export function registerCompletion(program: Command, ctx: CommandContext): void {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish (see the README to install it)')
    .addArgument(new Argument('[shell]', 'bash, zsh or fish').choices(SHELLS))
    // What the scripts call at Tab time for profile names: not for people, so not in the help.
    .addOption(new Option('--profiles', 'print the profile names, one a line').hideHelp())
    .action((shell: Shell | undefined, o: { profiles?: boolean }, cmd: Command) =>
      ctx.run(async () => {
        if (o.profiles) {
          ctx.io.stdout.write((await profileNames(ctx.io.env.FINOS_CONFIG_DIR || undefined)).map((name) => `${name}\n`).join(''));
          return 0;
        }
        if (!shell) throw new InvalidArgumentError('name the shell: finos-ekyc completion bash, zsh or fish');
        let root = cmd;
        while (root.parent) root = root.parent;
        ctx.io.stdout.write(completionScript(shell, root));
        return 0;
      }),
    );
}

/**
 * Tab time: a missing, unreadable or corrupt file completes nothing rather than print into the prompt. Only names
 * ProfileStore would write are offered: a hand edit cannot bring a space, a quote, `$(…)` or a newline to the shell.
 */
async function profileNames(dir: string | undefined): Promise<string[]> {
  const { assertProfileName, profilesPath } = await import('../../config/profiles.js');
  const writable = (name: string): boolean => {
    try {
      assertProfileName(name);
      return true;
    } catch {
      return false;
    }
  };
  try {
    const profiles = (JSON.parse(readFileSync(profilesPath(dir), 'utf8')) as { profiles?: unknown }).profiles;
    if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) return [];
    return Object.keys(profiles).filter(writable).sort();
  } catch {
    return [];
  }
}

/** What may stand where a value goes: one of some words, a file or folder, a profile name, or anything (no help). */
type ValueKind = { kind: 'words'; words: readonly string[] } | { kind: 'path' } | { kind: 'profile' } | { kind: 'free' };

interface OptionSpec {
  flags: string[];
  description: string;
  /** Absent for a flag that takes no value. */
  value?: ValueKind;
}

interface CommandSpec {
  /** Subcommand names from the program down, joined by spaces; '' for the program itself. */
  path: string;
  subcommands: { name: string; description: string }[];
  /** Its own options and the ones it inherits (commander accepts the program's options after a subcommand). */
  options: OptionSpec[];
  args: ValueKind[];
  /** The last argument repeats. */
  variadic: boolean;
}

/**
 * A placeholder that names a file or folder (`--out <file>`, `<image...>`, `--manifest <csv>`, `<results...>`): a
 * new command's values complete as paths when their placeholders say so, with no list of commands kept here.
 */
const PATH_PLACEHOLDER = /file|image|selfie|card|csv|jsonl|results|html|dir|folder|path/i;

function kindOf(placeholder: string, choices: readonly string[] | undefined): ValueKind {
  if (choices) return { kind: 'words', words: choices };
  if (placeholder === 'profile') return { kind: 'profile' };
  return PATH_PLACEHOLDER.test(placeholder) ? { kind: 'path' } : { kind: 'free' };
}

/** zsh and fish show a description on one line. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The program as the scripts need it, walked through commander's public API; hidden commands and options left out. */
function describeProgram(root: Command): CommandSpec[] {
  const specs: CommandSpec[] = [];
  // One spec per Option object: the fish script groups an option's command paths by it.
  const optionSpecs = new Map<Option, OptionSpec>();
  const specOf = (option: Option): OptionSpec => {
    let spec = optionSpecs.get(option);
    if (!spec) {
      const flags = [option.short, option.long].filter((f): f is string => Boolean(f));
      const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
      // `--profile <name>`: the option, not its placeholder, says what the value is.
      const valueName = option.attributeName() === 'profile' ? 'profile' : placeholder;
      spec = { flags, description: oneLine(option.description), ...(valueName ? { value: kindOf(valueName, option.argChoices) } : {}) };
      optionSpecs.set(option, spec);
    }
    return spec;
  };
  const visit = (cmd: Command, path: string, inherited: readonly OptionSpec[]): void => {
    const help = cmd.createHelp();
    const own = help.visibleOptions(cmd).map(specOf);
    const taken = new Set(own.flatMap((o) => o.flags));
    const options = [...own, ...inherited.filter((o) => !o.flags.some((f) => taken.has(f)))];
    const children = help.visibleCommands(cmd);
    const args = cmd.registeredArguments;
    specs.push({
      path,
      subcommands: children.map((c) => ({ name: c.name(), description: oneLine(c.summary() || c.description()) })),
      options,
      args: args.map((a) => kindOf(a.name(), a.argChoices)),
      variadic: Boolean(args.at(-1)?.variadic),
    });
    for (const child of children) visit(child, path ? `${path} ${child.name()}` : child.name(), options);
  };
  visit(root, '', []);
  return specs;
}

/** The script for one shell, made from the program as it is now: a command or option added later appears by itself. */
export function completionScript(shell: Shell, root: Command): string {
  const names = { command: root.name(), fn: `_${root.name().replace(/[^A-Za-z0-9]/g, '_')}`, version: root.version() ?? '' };
  const specs = describeProgram(root);
  return shell === 'fish' ? fishScript(specs, names) : posixScript(shell, specs, names);
}

interface ScriptNames {
  command: string;
  fn: string;
  version: string;
}

/** Needs no quotes in any of the three shells. */
const PLAIN_WORD = /^[A-Za-z0-9_+,./:-]+$/;

/** A word for bash or zsh. */
function sh(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A word for fish, whose single quotes take \\ and \' as escapes. */
function fishQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/[\\']/g, '\\$&')}'`;
}

/**
 * Where each value kind applies, as keys "PATH|FLAG" (an option's value) and "PATH|#N" (the Nth argument),
 * grouped so that each kind is one branch of a `case`. Free values are left to the default branch.
 */
function valueKeys(specs: readonly CommandSpec[]): { value: Exclude<ValueKind, { kind: 'free' }>; keys: string[] }[] {
  const groups = new Map<string, { value: Exclude<ValueKind, { kind: 'free' }>; keys: string[] }>();
  const add = (value: ValueKind, key: string): void => {
    if (value.kind === 'free') return;
    const id = JSON.stringify(value);
    const group = groups.get(id) ?? { value, keys: [] };
    group.keys.push(key);
    groups.set(id, group);
  };
  for (const s of specs) {
    for (const o of s.options) if (o.value) for (const f of o.flags) add(o.value, `${s.path}|${f}`);
    s.args.forEach((a, i) => add(a, `${s.path}|#${i}`));
  }
  return [...groups.values()];
}

const flagsOfValued = (s: CommandSpec): string[] => s.options.filter((o) => o.value).flatMap((o) => o.flags);

/** bash and zsh share the tables' shape; each walks the command line in its own dialect. */
function posixScript(shell: 'bash' | 'zsh', specs: readonly CommandSpec[], { command, fn, version }: ScriptNames): string {
  const zsh = shell === 'zsh';
  const list = (words: readonly string[]): string => words.map(sh).join(' ');
  const pattern = (keys: readonly string[]): string => (zsh ? `(${keys.map(sh).join('|')})` : `${keys.map(sh).join('|')})`);
  const commandArms = specs.map((s) => {
    const described = (name: string, description: string): string => `${name.replaceAll(':', '\\:')}:${description}`;
    const tables = [
      `subs=(${list(s.subcommands.map((c) => c.name))})`,
      ...(zsh ? [`subdescs=(${list(s.subcommands.map((c) => described(c.name, c.description)))})`] : []),
      `opts=(${list(zsh ? s.options.flatMap((o) => o.flags.map((f) => described(f, o.description))) : s.options.flatMap((o) => o.flags))})`,
      `valued=(${list(flagsOfValued(s))})`,
      `nargs=${s.args.length}`,
      `variadic=${s.variadic ? 1 : 0}`,
    ];
    return `    ${pattern([s.path])}\n      ${tables.join('\n      ')} ;;`;
  });
  const valueArms = valueKeys(specs).map(({ value, keys }) => {
    const set = value.kind === 'words' ? `kind=words choices=(${list(value.words)})` : `kind=${value.kind}`;
    return `    ${pattern(keys)} ${set} ;;`;
  });
  const tables = `# The command tree: for a command path, its subcommands, options, options that take a value, and arguments.
${fn}_command() {
  case $1 in
${commandArms.join('\n')}
  esac
}

# What may stand at "PATH|OPTION" (the option's value) or "PATH|#N" (argument N, from 0).
${fn}_value() {
  kind=
  case $1 in
${valueArms.join('\n')}
  esac
}
`;
  return zsh ? zshScript(tables, { command, fn, version }) : bashScript(tables, { command, fn, version });
}

function bashScript(tables: string, { command, fn, version }: ScriptNames): string {
  return `# bash completion for ${command} ${version}, made by \`${command} completion bash\` from the program's own commands.
# This shell:   source <(${command} completion bash)
# Every shell:  ${command} completion bash > ~/.local/share/bash-completion/completions/${command}
# (a saved script lists the commands of the version that wrote it: write it again after an upgrade)

${tables}
${fn}_has() {
  local want=$1 item
  shift
  for item; do [[ $item == "$want" ]] && return 0; done
  return 1
}

${fn}_completions() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd_path= option= word kind= name i n=0 dashdash=0 nargs=0 variadic=0
  local -a subs=() opts=() valued=() choices=()
  # bash splits --out=FILE at the "=": the "=" itself is not part of the value.
  [[ $cur == = ]] && cur=
  ${fn}_command ''
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if ((dashdash)); then
      n=$((n + 1))
    elif [[ $word == -- ]]; then
      dashdash=1
    elif [[ $word == -* ]]; then
      ${fn}_has "$word" "\${valued[@]}" || continue
      if ((i + 1 < COMP_CWORD)) && [[ \${COMP_WORDS[i + 1]} == = ]]; then i=$((i + 1)); fi
      if ((i + 1 == COMP_CWORD)); then option=$word; break; fi
      i=$((i + 1))
    elif ((n == 0)) && ${fn}_has "$word" "\${subs[@]}"; then
      cmd_path=\${cmd_path:+$cmd_path }$word
      ${fn}_command "$cmd_path"
    else
      n=$((n + 1))
    fi
  done
  COMPREPLY=()
  if [[ -n $option ]]; then
    ${fn}_value "$cmd_path|$option"
  elif ((!dashdash)) && [[ $cur == -* ]]; then
    kind=words choices=("\${opts[@]}")
  elif ((n == 0 && \${#subs[@]})); then
    kind=words choices=("\${subs[@]}")
  elif ((n < nargs)); then
    ${fn}_value "$cmd_path|#$n"
  elif ((variadic)); then
    ${fn}_value "$cmd_path|#$((nargs - 1))"
  fi
  # Matched by hand, not with compgen -W, which would expand $(…) in a word.
  case $kind in
    words) for name in "\${choices[@]}"; do [[ $name == "$cur"* ]] && COMPREPLY+=("$name"); done ;;
    path)
      compopt -o filenames 2>/dev/null
      while IFS= read -r name; do COMPREPLY+=("$name"); done < <(compgen -f -- "$cur") ;;
    profile) while IFS= read -r name; do [[ $name == "$cur"* ]] && COMPREPLY+=("$name"); done < <(command ${command} completion --profiles 2>/dev/null) ;;
  esac
}

complete -F ${fn}_completions ${command}
`;
}

function zshScript(tables: string, { command, fn, version }: ScriptNames): string {
  return `#compdef ${command}
# zsh completion for ${command} ${version}, made by \`${command} completion zsh\` from the program's own commands.
# This shell (after compinit):  source <(${command} completion zsh)
# Every shell:  ${command} completion zsh > ~/.zsh/completions/_${command}   with  fpath=(~/.zsh/completions $fpath)  before compinit
# (a saved script lists the commands of the version that wrote it: write it again after an upgrade)

${tables}
${fn}() {
  local cmd_path= option= word kind= cur=\${words[CURRENT]}
  integer i n=0 dashdash=0 nargs=0 variadic=0
  local -a subs subdescs opts valued choices
  ${fn}_command ''
  for (( i = 2; i < CURRENT; i++ )); do
    word=\${words[i]}
    if (( dashdash )); then
      n+=1
    elif [[ $word == -- ]]; then
      dashdash=1
    elif [[ $word == -* ]]; then
      (( \${valued[(Ie)$word]} )) || continue
      if (( i + 1 == CURRENT )); then option=$word; break; fi
      i+=1
    elif (( n == 0 && \${subs[(Ie)$word]} )); then
      cmd_path=\${cmd_path:+$cmd_path }$word
      ${fn}_command "$cmd_path"
    else
      n+=1
    fi
  done
  if [[ -z $option && $cur == --*=* ]] && (( \${valued[(Ie)\${cur%%=*}]} )); then
    option=\${cur%%=*}
    compset -P '*='
  fi
  if [[ -n $option ]]; then
    ${fn}_value "$cmd_path|$option"
  elif (( ! dashdash )) && [[ $cur == -* ]]; then
    _describe -t options option opts
    return
  elif (( n == 0 && $#subs )); then
    _describe -t commands command subdescs
    return
  elif (( n < nargs )); then
    ${fn}_value "$cmd_path|#$n"
  elif (( variadic )); then
    ${fn}_value "$cmd_path|#$(( nargs - 1 ))"
  fi
  case $kind in
    (words) compadd -a choices ;;
    (path) _files ;;
    (profile)
      choices=(\${(f)"$(command ${command} completion --profiles 2>/dev/null)"})
      compadd -a choices ;;
  esac
}

# Autoloaded from fpath, the file is the completion function; sourced, it registers one.
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${command}
fi
`;
}

function fishScript(specs: readonly CommandSpec[], { command, fn, version }: ScriptNames): string {
  const list = (words: readonly string[]): string => words.map(fishQuote).join(' ');
  const at = (condition: string): string => `complete -c ${command} -n ${fishQuote(condition)}`;
  const commandArms = specs.map(
    (s) => `        case ${fishQuote(s.path)}
            set -g ${fn}_subs ${list(s.subcommands.map((c) => c.name))}
            set -g ${fn}_valued ${list(flagsOfValued(s))}`,
  );
  // What fish offers for a value: -F forces file names back on (they are off for the command as a whole).
  const offered = (value: ValueKind): string => {
    switch (value.kind) {
      case 'words':
        return ` -a ${fishQuote(list(value.words))}`;
      case 'path':
        return ' -F';
      case 'profile':
        return ` -a ${fishQuote(`(${fn}_profiles)`)}`;
      case 'free':
        return '';
    }
  };
  // -r: the option takes a value, so fish completes that value next; -x is -r without file names.
  const optionValue = (value: ValueKind | undefined): string => (value ? `${value.kind === 'path' ? ' -r' : ' -x'}${offered(value)}` : '');
  // One line per option, for every command path where that option is the one in force.
  const pathsOf = new Map<OptionSpec, string[]>();
  for (const s of specs) for (const o of s.options) pathsOf.set(o, [...(pathsOf.get(o) ?? []), s.path]);
  const optionLines = [...pathsOf].map(([o, paths]) => {
    const names = o.flags.map((f) => (f.startsWith('--') ? `-l ${fishQuote(f.slice(2))}` : `-s ${fishQuote(f.slice(1))}`)).join(' ');
    return `${at(`${fn}_at ${list(paths)}`)} ${names}${optionValue(o.value)} -d ${fishQuote(o.description)}`;
  });
  const subcommandLines = specs.flatMap((s) =>
    s.subcommands.map((c) => `${at(`${fn}_arg ${fishQuote(s.path)} 0`)} -a ${fishQuote(fishQuote(c.name))} -d ${fishQuote(c.description)}`),
  );
  const argLines = specs.flatMap((s) =>
    s.args.flatMap((a, i) =>
      a.kind === 'free' ? [] : [`${at(`${fn}_arg ${fishQuote(s.path)} ${i}${s.variadic && i === s.args.length - 1 ? '+' : ''}`)}${offered(a)}`],
    ),
  );
  return `# fish completion for ${command} ${version}, made by \`${command} completion fish\` from the program's own commands.
# Install:  ${command} completion fish > ~/.config/fish/completions/${command}.fish
# (a saved script lists the commands of the version that wrote it: write it again after an upgrade)

# The command tree: for a command path, its subcommands and the options that take a value.
function ${fn}_command --argument-names cmd_path
    set -g ${fn}_subs
    set -g ${fn}_valued
    switch $cmd_path
${commandArms.join('\n')}
    end
end

# Where the command line stands: its command path and how many arguments it has. Once per command line.
function ${fn}_position
    set -l line (commandline -cp)
    test "$line" = "$${fn}_line"; and return
    set -g ${fn}_line $line
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -g ${fn}_path ''
    set -g ${fn}_n 0
    ${fn}_command ''
    set -l dashdash 0
    set -l skip 0
    for word in $tokens
        if test $skip = 1
            set skip 0
        else if test $dashdash = 1
            set ${fn}_n (math $${fn}_n + 1)
        else if test "$word" = --
            set dashdash 1
        else if string match -q -- '-*' $word
            contains -- $word $${fn}_valued; and set skip 1
        else if test $${fn}_n = 0; and contains -- $word $${fn}_subs
            if test -z "$${fn}_path"
                set ${fn}_path $word
            else
                set ${fn}_path "$${fn}_path $word"
            end
            ${fn}_command "$${fn}_path"
        else
            set ${fn}_n (math $${fn}_n + 1)
        end
    end
end

# True at one of the given command paths.
function ${fn}_at
    ${fn}_position
    contains -- "$${fn}_path" $argv
end

# True when the next word is argument N (from 0) of the command at PATH; "N+" for N and after.
function ${fn}_arg --argument-names cmd_path index
    ${fn}_position
    test "$${fn}_path" = "$cmd_path"; or return 1
    if string match -q -- '*+' $index
        test $${fn}_n -ge (string trim -r -c + -- $index)
    else
        test $${fn}_n -eq $index
    end
end

function ${fn}_profiles
    command -q ${command}; and command ${command} completion --profiles 2>/dev/null
end

# No file names unless a value or argument takes one.
complete -c ${command} -f
${subcommandLines.join('\n')}
${optionLines.join('\n')}
${argLines.join('\n')}
`;
}

// Parses every .bicep file under the given directories with tree-sitter-bicep and prints each
// syntax error as file:line:col. Exit code 1 when there is any, 0 otherwise. Grammar only: names,
// types and resource schemas are checked elsewhere (BicepDriftTest, and the schema checker in CI).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'tree-sitter';
import Bicep from 'tree-sitter-bicep';

const parser = new Parser();
parser.setLanguage(Bicep);

function bicepFiles(path) {
  if (statSync(path).isFile()) return path.endsWith('.bicep') ? [path] : [];
  return readdirSync(path).sort().flatMap(name => bicepFiles(join(path, name)));
}

const errors = [];
const files = process.argv.slice(2).flatMap(bicepFiles);
for (const file of files) {
  const tree = parser.parse(readFileSync(file, 'utf8'));
  const visit = node => {
    if (node.isMissing) {
      errors.push(`${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}: missing '${node.type}'`);
    } else if (node.type === 'ERROR' && !node.children.some(child => child.hasError)) {
      errors.push(`${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}: syntax error near '${node.text.slice(0, 40)}'`);
    }
    if (node.hasError) node.children.forEach(visit);
  };
  visit(tree.rootNode);
}
errors.forEach(error => console.log(error));
console.log(`${files.length} files parsed, ${errors.length} syntax errors`);
process.exit(errors.length > 0 ? 1 : files.length > 0 ? 0 : 2);

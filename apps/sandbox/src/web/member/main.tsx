import { render } from 'react-dom';
import { Sandbox } from './Sandbox.tsx';
import './styles.css';

const root = document.getElementById('sandbox');
if (root) render(<Sandbox />, root);

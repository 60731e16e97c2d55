import './base.css';
import './network.css';
import './export.css';

import { describeTwoViews, TWO_VIEWS_CASES } from './two-views-gradients';

describeTwoViews(2, TWO_VIEWS_CASES.slice(0, 1));

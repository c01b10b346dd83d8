/**
 * TwitterAPI (upstream `posting_api.py`, docs `posting_api.json`; SPEC.md §7.4): tweets under int
 * ids, comments, retweets and a following list for one account.
 */
import { pyEq as pyEqStr } from '../python/equality.js';
import { PyException } from '../python/errors.js';
import {
  contains,
  dictGet,
  dictGetOr,
  dictHas,
  dictSet,
  getIndex,
  iterate,
  len,
  listRemove,
  requireDict,
  requireList,
  requireStr,
  truthy,
  add,
} from '../python/ops.js';
import { pyInt } from '../python/number.js';
import { pyStr } from '../python/repr.js';
import { dict, type PyDict, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

const notAuthenticated = (what: string): PyDict =>
  dict({ error: `User not authenticated. Please authenticate before ${what}.` });

const notFound = (tweetId: PyValue): PyDict => dict({ error: `Tweet with ID ${pyStr(tweetId)} not found.` });

export class TwitterAPI extends BfclApi {
  readonly className = 'TwitterAPI';
  username: PyValue = 'john';
  password: PyValue = 'john123';
  authenticated: PyValue = false;
  /** int id → tweet dict (keys converted with `int()` at load). */
  tweets: PyDict = new Map();
  /** tweet id → list of comments; scenario keys stay strings, `comment()` adds int keys. */
  comments: PyValue = new Map();
  retweets: PyValue = new Map();
  followingList: PyValue = ['alice', 'bob'];
  tweetCounter: PyValue = 0n;

  loadScenario(config: PyDict): void {
    this.username = dictGetOr(config, 'username', 'john');
    this.password = dictGetOr(config, 'password', 'john123');
    this.authenticated = dictGetOr(config, 'authenticated', false);
    const tweets = requireDict(dictGetOr(config, 'tweets', new Map()), 'items');
    // Upstream: {int(k): v for k, v in tweets.items()}.
    this.tweets = new Map();
    for (const [k, v] of tweets) dictSet(this.tweets, pyInt(k), v);
    this.comments = dictGetOr(config, 'comments', new Map());
    this.retweets = dictGetOr(config, 'retweets', new Map());
    this.followingList = dictGetOr(config, 'following_list', ['alice', 'bob']);
    this.tweetCounter = dictGetOr(config, 'tweet_counter', 0n);
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['username', this.username],
      ['password', this.password],
      ['authenticated', this.authenticated],
      ['tweets', this.tweets],
      ['comments', this.comments],
      ['retweets', this.retweets],
      ['following_list', this.followingList],
      ['tweet_counter', this.tweetCounter],
    ];
  }

  protected methodTable(): Record<string, MethodSpec> {
    return {
      authenticate_twitter: defMethod([param('username'), param('password')], (username, password) => {
        if (pyEqStr(username, this.username) && pyEqStr(password, this.password)) {
          this.authenticated = true;
          return dict({ authentication_status: true });
        }
        return dict({ authentication_status: false });
      }),
      posting_get_login_status: defMethod([], () => dict({ login_status: truthy(this.authenticated) })),
      post_tweet: defMethod(
        // Fresh lists per call: upstream's shared mutable defaults leak mentions (SPEC §6.7).
        [param('content'), param('tags', () => []), param('mentions', () => [])],
        (content, tags, mentions) => {
          if (!truthy(this.authenticated)) return notAuthenticated('posting');
          const tweet = dict({
            id: this.tweetCounter,
            username: this.username,
            content,
            tags,
            mentions,
          });
          dictSet(this.tweets, this.tweetCounter, tweet);
          this.tweetCounter = add(this.tweetCounter, 1n);
          return tweet;
        },
      ),
      retweet: defMethod([param('tweet_id')], (id) => {
        if (!truthy(this.authenticated)) return notAuthenticated('retweeting');
        if (!dictHas(this.tweets, id)) return notFound(id);
        const retweets = requireDict(this.retweets, '__setitem__');
        if (!dictHas(retweets, this.username)) dictSet(retweets, this.username, []);
        const mine = dictGet(retweets, this.username);
        if (contains(mine, id)) return dict({ retweet_status: 'Already retweeted' });
        requireList(mine, 'append').push(id);
        return dict({ retweet_status: 'Successfully retweeted' });
      }),
      comment: defMethod([param('tweet_id'), param('comment_content')], (id, commentContent) => {
        // Upstream raises a dict here, which Python rejects with this TypeError.
        if (!truthy(this.authenticated)) throw new PyException('TypeError', 'exceptions must derive from BaseException');
        if (!dictHas(this.tweets, id)) return notFound(id);
        const comments = requireDict(this.comments, '__setitem__');
        if (!dictHas(comments, id)) dictSet(comments, id, []);
        requireList(dictGet(comments, id), 'append').push(
          dict({ username: this.username, content: commentContent }),
        );
        return dict({ comment_status: 'Comment added successfully' });
      }),
      mention: defMethod([param('tweet_id'), param('mentioned_usernames')], (id, mentioned) => {
        if (!dictHas(this.tweets, id)) return notFound(id);
        const tweet = dictGet(this.tweets, id);
        const mentions = requireList(getIndex(tweet, 'mentions'), 'extend');
        mentions.push(...iterate(mentioned));
        return dict({ mention_status: 'Users mentioned successfully' });
      }),
      follow_user: defMethod([param('username_to_follow')], (who) => {
        if (!truthy(this.authenticated)) return notAuthenticated('following');
        if (contains(this.followingList, who)) return dict({ follow_status: false });
        requireList(this.followingList, 'append').push(who);
        return dict({ follow_status: true });
      }),
      list_all_following: defMethod([], () => {
        if (!truthy(this.authenticated)) return notAuthenticated('listing following');
        return this.followingList;
      }),
      unfollow_user: defMethod([param('username_to_unfollow')], (who) => {
        if (!truthy(this.authenticated)) return notAuthenticated('unfollowing');
        if (!contains(this.followingList, who)) return dict({ unfollow_status: false });
        listRemove(requireList(this.followingList, 'remove'), who);
        return dict({ unfollow_status: true });
      }),
      get_tweet: defMethod([param('tweet_id')], (id) => {
        if (!dictHas(this.tweets, id)) return notFound(id);
        return dictGet(this.tweets, id);
      }),
      get_user_tweets: defMethod([param('username')], (who) =>
        [...this.tweets.values()].filter((t) => pyEqStr(getIndex(t, 'username'), who)),
      ),
      search_tweets: defMethod([param('keyword')], (keyword) => {
        return [...this.tweets.values()].filter((t) => {
          const k = requireStr(keyword, 'lower').toLowerCase();
          if (requireStr(getIndex(t, 'content'), 'lower').toLowerCase().includes(k)) return true;
          return iterate(getIndex(t, 'tags')).some((tag) => requireStr(tag, 'lower').toLowerCase() === k);
        });
      }),
      get_tweet_comments: defMethod([param('tweet_id')], (id) => {
        if (!dictHas(this.tweets, id)) return notFound(id);
        return dictGetOr(requireDict(this.comments, 'get'), id, []);
      }),
      get_user_stats: defMethod([param('username')], (who) => {
        const tweetCount = [...this.tweets.values()].filter((t) => pyEqStr(getIndex(t, 'username'), who)).length;
        const following = pyEqStr(who, this.username) ? len(this.followingList) : 0n;
        const retweets = dictGetOr(requireDict(this.retweets, 'get'), who, []);
        return dict({ tweet_count: BigInt(tweetCount), following_count: following, retweet_count: len(retweets) });
      }),
    };
  }
}
